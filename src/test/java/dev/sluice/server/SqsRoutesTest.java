package dev.sluice.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP surface over a real Quarkus server: protocol sniffing, routing by path, URLs from the Host header. */
@QuarkusTest
class SqsRoutesTest {
    private static final String AMZ_JSON = "application/x-amz-json-1.0";

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void teachRestAssuredAmzJson() {
        RestAssured.config = RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs(AMZ_JSON, ContentType.TEXT));
    }

    @Test
    void jsonRequestIsAnsweredInJsonWithQueueUrlFromHostHeader() {
        String reply = given().header("X-Amz-Target", "AmazonSQS.CreateQueue")
                .header("Host", "sluice.internal:9324")
                .contentType(AMZ_JSON)
                .body("{\"QueueName\":\"routes-json\"}")
                .post("/")
                .then()
                .statusCode(200)
                .contentType(AMZ_JSON)
                .extract()
                .asString();
        assertThat(JsonPath.from(reply).getString("QueueUrl"))
                .isEqualTo("http://sluice.internal:9324/000000000000/routes-json");
    }

    @Test
    void queryRequestMayComeAsGetOnTheQueuePath() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("Action", "CreateQueue")
                .formParam("QueueName", "routes-query")
                .post("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/xml"));
        given().queryParam("Action", "SendMessage")
                .queryParam("MessageBody", "by path")
                .get("/000000000000/routes-query")
                .then()
                .statusCode(200)
                .body(containsString("<MD5OfMessageBody>"));
        given().queryParam("Action", "GetQueueAttributes")
                .queryParam("AttributeName.1", "ApproximateNumberOfMessages")
                .get("/000000000000/routes-query")
                .then()
                .statusCode(200)
                .body(containsString("<Name>ApproximateNumberOfMessages</Name><Value>1</Value>"));
    }

    @Test
    void twelveDigitAccessKeyIdSelectsThatAccountInOpenMode() {
        String reply = given().header("X-Amz-Target", "AmazonSQS.CreateQueue")
                .contentType(AMZ_JSON)
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=111122223333/20260101/us-east-1/sqs/aws4_request,"
                                + " SignedHeaders=host, Signature=abc")
                .body("{\"QueueName\":\"routes-account\"}")
                .post("/")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(JsonPath.from(reply).getString("QueueUrl")).endsWith("/111122223333/routes-account");
    }

    @Test
    void malformedJsonIsAClientError() {
        String reply = given().header("X-Amz-Target", "AmazonSQS.ListQueues")
                .contentType(AMZ_JSON)
                .body("{not json")
                .post("/")
                .then()
                .statusCode(400)
                .extract()
                .asString();
        assertThat(JsonPath.from(reply).getString("__type")).isEqualTo("com.amazonaws.sqs#SerializationException");
    }

    @Test
    void healthIsServedBesideTheSqsRoutes() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void chunkedBodyIsReadWhole() throws Exception {
        given().contentType(AMZ_JSON)
                .header("X-Amz-Target", "AmazonSQS.CreateQueue")
                .body("{\"QueueName\":\"routes-chunked\"}")
                .post("/")
                .then()
                .statusCode(200);
        String body = "{\"QueueUrl\":\"" + base + "000000000000/routes-chunked\",\"MessageBody\":\""
                + "x".repeat(200_000) + "\"}";
        HttpRequest chunked = HttpRequest.newBuilder(base)
                .header("Content-Type", AMZ_JSON)
                .header("X-Amz-Target", "AmazonSQS.SendMessage")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();

        HttpResponse<String> reply = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(chunked, HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(reply.body()).getString("MD5OfMessageBody"))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("MD5")
                                .digest("x".repeat(200_000).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void declaredBodyOverTheLimitIsRefusedWith413() throws Exception {
        for (String length : List.of("9000000", "1234567890123456789")) {
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write(("POST / HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: " + AMZ_JSON
                                        + "\r\nX-Amz-Target: AmazonSQS.SendMessage\r\nContent-Length: " + length
                                        + "\r\n\r\n{}")
                                .getBytes(StandardCharsets.US_ASCII));
                String statusLine = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(statusLine).as(length).startsWith("HTTP/1.1 413");
            }
        }
    }

    @Test
    void anHttp11RequestWithoutHostIsA400InItsProtocol() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                    + "Content-Length: 17\r\n\r\nAction=ListQueues")
                            .getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(reply).startsWith("HTTP/1.1 400").contains("<Code>InvalidRequest</Code>");
        }
    }
}
