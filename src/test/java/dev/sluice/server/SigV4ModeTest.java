package dev.sluice.server;

import static dev.sluice.server.SigV4Profile.ACCOUNT_A;
import static dev.sluice.server.SigV4Profile.ACCOUNT_B;
import static dev.sluice.server.SigV4Profile.ADMIN_TOKEN;
import static dev.sluice.server.SigV4Profile.KEY_A;
import static dev.sluice.server.SigV4Profile.KEY_B;
import static dev.sluice.server.SigV4Profile.SECRET_A;
import static dev.sluice.server.SigV4Profile.SECRET_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sigv4 auth mode over real HTTP: signature failures in both protocols, tenant isolation, grants through
 * AddPermission and the Policy attribute, and the admin API.
 */
@QuarkusTest
@TestProfile(SigV4Profile.class)
class SigV4ModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private SignedClient a() {
        return new SignedClient(base, KEY_A, SECRET_A);
    }

    private SignedClient b() {
        return new SignedClient(base, KEY_B, SECRET_B);
    }

    private String createQueue(SignedClient client, String name) {
        HttpResponse<String> reply = client.json("CreateQueue", "{\"QueueName\":\"" + name + "\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return json(reply).get("QueueUrl").asText();
    }

    // ---- authentication

    @Test
    void correctKeysWorkInBothProtocolsAndPickTheAccount() {
        String url = createQueue(a(), "auth-ok");
        assertThat(url).endsWith("/" + ACCOUNT_A + "/auth-ok");

        HttpResponse<String> listed = a().query("Action=ListQueues&QueueNamePrefix=auth-ok");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("/" + ACCOUNT_A + "/auth-ok");
    }

    @Test
    void http2RequestsVerifyToo() {
        SignedClient overHttp2 = a().over(SignedClient.HTTP2);

        assertThat(overHttp2.json("ListQueues", "{}").statusCode()).isEqualTo(200);
        assertThat(overHttp2.query("Action=ListQueues").statusCode()).isEqualTo(200);
    }

    @Test
    void presignedUrlWorksUntilItExpires() {
        String url = createQueue(a(), "auth-presigned");
        String path = URI.create(url).getPath();
        Map<String, String> send = Map.of("Action", "SendMessage", "MessageBody", "presigned body & more");

        HttpResponse<String> sent = a().presignedGet(path, send, Duration.ofMinutes(5));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("<MD5OfMessageBody>");

        HttpResponse<String> expired = a().at(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                .presignedGet(path, send, Duration.ofMinutes(5));
        assertQueryError(expired, 403, "AccessDenied");
        assertThat(expired.body()).contains("Request has expired.");
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() {
        SignedClient anonymous = new SignedClient(base, null, null);

        assertJsonError(anonymous.json("ListQueues", "{}"), 403, "MissingAuthenticationToken");
        assertQueryError(anonymous.query("Action=ListQueues"), 403, "MissingAuthenticationToken");
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        SignedClient wrong = new SignedClient(base, KEY_A, "not-the-secret");

        assertJsonError(wrong.json("ListQueues", "{}"), 403, "SignatureDoesNotMatch");
        assertQueryError(wrong.query("Action=ListQueues"), 403, "SignatureDoesNotMatch");
    }

    @Test
    void unknownKeyIsInvalidClientTokenId() {
        SignedClient unknown = new SignedClient(base, "AKIDUNKNOWN", "whatever");

        assertJsonError(unknown.json("ListQueues", "{}"), 403, "InvalidClientTokenId");
        assertQueryError(unknown.query("Action=ListQueues"), 403, "InvalidClientTokenId");
    }

    @Test
    void tamperedBodyIsSignatureDoesNotMatch() {
        String url = createQueue(a(), "auth-tampered");
        String signed = "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"pay 10\"}";
        String sent = "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"pay 99\"}";

        HttpResponse<String> reply = a().send(
                        "/",
                        Map.of(
                                "Content-Type",
                                "application/x-amz-json-1.0",
                                "X-Amz-Target",
                                "AmazonSQS.SendMessage",
                                "x-amzn-query-mode",
                                "true"),
                        signed,
                        sent);

        assertJsonError(reply, 403, "SignatureDoesNotMatch");
    }

    @Test
    void staleDateIsSignatureExpired() {
        SignedClient stale = a().at(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)));

        HttpResponse<String> reply = stale.query("Action=ListQueues");

        assertQueryError(reply, 403, "SignatureDoesNotMatch");
        assertThat(reply.body()).contains("Signature expired:").contains("is now earlier than");
    }

    // ---- isolation and grants

    @Test
    void aTenantSeesAndTouchesNoOtherTenantsQueue() {
        String url = createQueue(a(), "iso-private");
        String missing = url.replace("iso-private", "iso-no-such-queue");

        assertThat(b().json("ListQueues", "{\"QueueNamePrefix\":\"iso-\"}").body())
                .doesNotContain("iso-private");
        HttpResponse<String> send = b().json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\"}");
        HttpResponse<String> sendMissing =
                b().json("SendMessage", "{\"QueueUrl\":\"" + missing + "\",\"MessageBody\":\"x\"}");
        assertJsonError(send, 403, "AccessDenied");
        assertJsonError(sendMissing, 403, "AccessDenied");
        assertThat(json(send).get("message")).isEqualTo(json(sendMissing).get("message"));
        for (String action : new String[] {"ReceiveMessage", "PurgeQueue", "DeleteQueue", "GetQueueAttributes"}) {
            assertJsonError(b().json(action, "{\"QueueUrl\":\"" + url + "\"}"), 403, "AccessDenied");
        }
        assertJsonError(
                b().json("TagQueue", "{\"QueueUrl\":\"" + url + "\",\"Tags\":{\"k\":\"v\"}}"), 403, "AccessDenied");
        assertJsonError(
                b().json(
                                "GetQueueUrl",
                                "{\"QueueName\":\"iso-private\",\"QueueOwnerAWSAccountId\":\"" + ACCOUNT_A + "\"}"),
                403,
                "AccessDenied");
        assertQueryError(b().query("Action=SendMessage&MessageBody=x&QueueUrl=" + url), 403, "AccessDenied");
        assertThat(a().json("GetQueueAttributes", "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"All\"]}")
                        .body())
                .contains("\"ApproximateNumberOfMessages\":\"0\"");
    }

    @Test
    void moveTasksOfAnotherTenantsQueueAreAccessDenied() {
        createQueue(a(), "iso-dlq");
        String arn = "arn:aws:sqs:us-east-1:" + ACCOUNT_A + ":iso-dlq";
        String handle = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("some-id " + arn).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertJsonError(b().json("StartMessageMoveTask", "{\"SourceArn\":\"" + arn + "\"}"), 403, "AccessDenied");
        assertJsonError(b().json("ListMessageMoveTasks", "{\"SourceArn\":\"" + arn + "\"}"), 403, "AccessDenied");
        assertJsonError(b().json("CancelMessageMoveTask", "{\"TaskHandle\":\"" + handle + "\"}"), 403, "AccessDenied");
    }

    @Test
    void anotherTenantCannotCancelARealMoveTask() throws Exception {
        String dlq = createQueue(a(), "iso-real-dlq");
        String dlqArn = "arn:aws:sqs:us-east-1:" + ACCOUNT_A + ":iso-real-dlq";
        String redrive = JSON.writeValueAsString(Map.of("deadLetterTargetArn", dlqArn, "maxReceiveCount", "3"));
        HttpResponse<String> source = a().json(
                        "CreateQueue",
                        JSON.writeValueAsString(Map.of(
                                "QueueName", "iso-real-source", "Attributes", Map.of("RedrivePolicy", redrive))));
        assertThat(source.statusCode()).as(source.body()).isEqualTo(200);
        a().json("SendMessage", "{\"QueueUrl\":\"" + dlq + "\",\"MessageBody\":\"dead\"}");
        HttpResponse<String> started = a().json(
                        "StartMessageMoveTask",
                        "{\"SourceArn\":\"" + dlqArn + "\",\"MaxNumberOfMessagesPerSecond\":1}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String handle = json(started).get("TaskHandle").asText();

        assertJsonError(b().json("CancelMessageMoveTask", "{\"TaskHandle\":\"" + handle + "\"}"), 403, "AccessDenied");
        HttpResponse<String> cancelled = a().json("CancelMessageMoveTask", "{\"TaskHandle\":\"" + handle + "\"}");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isIn(200, 400);
        assertThat(cancelled.headers().firstValue("x-amzn-query-error"))
                .isNotEqualTo(Optional.of("AccessDenied;Sender"));
    }

    @Test
    void addPermissionLetsAnotherTenantSendAndNothingMore() {
        String url = createQueue(a(), "grant-send");

        HttpResponse<String> granted = a().json(
                        "AddPermission",
                        "{\"QueueUrl\":\"" + url + "\",\"Label\":\"b-sends\",\"AWSAccountIds\":[\"" + ACCOUNT_B
                                + "\"],\"Actions\":[\"SendMessage\"]}");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);

        assertThat(b().json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"from b\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(b().query("Action=SendMessageBatch&QueueUrl=" + url
                                + "&SendMessageBatchRequestEntry.1.Id=one&SendMessageBatchRequestEntry.1.MessageBody=x")
                        .statusCode())
                .isEqualTo(200);
        assertJsonError(b().json("ReceiveMessage", "{\"QueueUrl\":\"" + url + "\"}"), 403, "AccessDenied");
        assertJsonError(b().json("PurgeQueue", "{\"QueueUrl\":\"" + url + "\"}"), 403, "AccessDenied");
        assertJsonError(
                b().json("TagQueue", "{\"QueueUrl\":\"" + url + "\",\"Tags\":{\"k\":\"v\"}}"), 403, "AccessDenied");
        assertJsonError(
                b().json(
                                "SetQueueAttributes",
                                "{\"QueueUrl\":\"" + url + "\",\"Attributes\":{\"VisibilityTimeout\":\"1\"}}"),
                403,
                "AccessDenied");
        assertThat(a().json("GetQueueAttributes", "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"Policy\"]}")
                        .body())
                .contains("b-sends")
                .contains("arn:aws:iam::" + ACCOUNT_B + ":root");

        assertThat(a().json("RemovePermission", "{\"QueueUrl\":\"" + url + "\",\"Label\":\"b-sends\"}")
                        .statusCode())
                .isEqualTo(200);
        assertJsonError(
                b().json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\"}"), 403, "AccessDenied");
    }

    @Test
    void policyAttributeGrantsWhatItSays() throws Exception {
        String url = createQueue(a(), "grant-policy");
        String arn = "arn:aws:sqs:us-east-1:" + ACCOUNT_A + ":grant-policy";
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\""
                + ACCOUNT_B + "\"]},\"Action\":[\"sqs:ReceiveMessage\",\"sqs:GetQueueAttributes\"],\"Resource\":\""
                + arn + "\"}]}";
        HttpResponse<String> set = a().json(
                        "SetQueueAttributes",
                        JSON.writeValueAsString(Map.of("QueueUrl", url, "Attributes", Map.of("Policy", policy))));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        assertThat(b().json("ReceiveMessage", "{\"QueueUrl\":\"" + url + "\"}").statusCode())
                .isEqualTo(200);
        assertThat(b().json("GetQueueAttributes", "{\"QueueUrl\":\"" + url + "\"}")
                        .statusCode())
                .isEqualTo(200);
        assertJsonError(
                b().json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"x\"}"), 403, "AccessDenied");
    }

    @Test
    void addPermissionChecksItsParametersAsAws() {
        String url = createQueue(a(), "grant-checks");

        assertJsonError(
                a().json(
                                "AddPermission",
                                "{\"QueueUrl\":\"" + url + "\",\"Label\":\"bad label!\",\"AWSAccountIds\":[\""
                                        + ACCOUNT_B + "\"],\"Actions\":[\"SendMessage\"]}"),
                400,
                "InvalidParameterValue");
        assertJsonError(
                a().json(
                                "AddPermission",
                                "{\"QueueUrl\":\"" + url + "\",\"Label\":\"many\",\"AWSAccountIds\":[\"" + ACCOUNT_B
                                        + "\"],\"Actions\":[\"SendMessage\",\"ReceiveMessage\",\"DeleteMessage\","
                                        + "\"ChangeMessageVisibility\",\"GetQueueAttributes\",\"GetQueueUrl\","
                                        + "\"PurgeQueue\",\"ListDeadLetterSourceQueues\"]}"),
                403,
                "OverLimit");
        assertJsonError(
                a().json("RemovePermission", "{\"QueueUrl\":\"" + url + "\",\"Label\":\"never-added\"}"),
                400,
                "InvalidParameterValue");
        assertJsonError(
                b().json(
                                "AddPermission",
                                "{\"QueueUrl\":\"" + url + "\",\"Label\":\"self\",\"AWSAccountIds\":[\"" + ACCOUNT_B
                                        + "\"],\"Actions\":[\"*\"]}"),
                403,
                "AccessDenied");
    }

    // ---- admin API

    @Test
    void adminApiNeedsTheToken() {
        assertThat(SignedClient.admin(base, null, "GET", "/admin/tenants", null).statusCode())
                .isEqualTo(401);
        assertThat(SignedClient.admin(base, "wrong", "GET", "/admin/tenants", null)
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> listed = SignedClient.admin(base, ADMIN_TOKEN, "GET", "/admin/tenants", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains(ACCOUNT_A).contains(ACCOUNT_B).doesNotContain(SECRET_A);
    }

    @Test
    void adminCreatesTenantsAndKeysAndADisabledKeyStopsAtOnce() {
        String account = "333333333333";
        HttpResponse<String> created = SignedClient.admin(
                base, ADMIN_TOKEN, "POST", "/admin/tenants", "{\"accountId\":\"" + account + "\",\"name\":\"team c\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(SignedClient.admin(
                                base, ADMIN_TOKEN, "POST", "/admin/tenants", "{\"accountId\":\"" + account + "\"}")
                        .statusCode())
                .isEqualTo(409);

        JsonNode key = json(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/keys", ""));
        String keyId = key.get("accessKeyId").asText();
        String secret = key.get("secretAccessKey").asText();
        SignedClient c = new SignedClient(base, keyId, secret);
        assertThat(createQueue(c, "admin-made")).endsWith("/" + account + "/admin-made");
        HttpResponse<String> keys =
                SignedClient.admin(base, ADMIN_TOKEN, "GET", "/admin/tenants/" + account + "/keys", null);
        assertThat(keys.body()).contains(keyId).doesNotContain(secret);

        assertThat(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/keys/" + keyId + "/disable", "")
                        .statusCode())
                .isEqualTo(200);
        assertJsonError(c.json("ListQueues", "{}"), 403, "InvalidClientTokenId");
        SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/keys/" + keyId + "/enable", "");
        assertThat(c.json("ListQueues", "{}").statusCode()).isEqualTo(200);

        JsonNode second =
                json(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/keys", ""));
        assertThat(second.get("secretAccessKey").asText()).isNotEqualTo(secret);
        assertThat(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/keys", "")
                        .statusCode())
                .isEqualTo(409);

        SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/disable", "");
        assertJsonError(c.json("ListQueues", "{}"), 403, "InvalidClientTokenId");
        assertThat(SignedClient.admin(base, ADMIN_TOKEN, "DELETE", "/admin/tenants/" + account, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(SignedClient.admin(base, ADMIN_TOKEN, "GET", "/admin/tenants/" + account, null)
                        .statusCode())
                .isEqualTo(404);

        JsonNode metrics = json(SignedClient.admin(base, ADMIN_TOKEN, "GET", "/admin/metrics", null));
        assertThat(metrics.get("authFailuresTotal").asLong()).isPositive();
        assertThat(metrics.get("authFailures").has("InvalidClientTokenId")).isTrue();
        assertThat(SignedClient.admin(base, null, "GET", "/q/metrics", null).body())
                .contains("sluice_auth_failures_total{code=\"InvalidClientTokenId\"");
    }

    @Test
    void tenantQueueLimitIsOverLimit() {
        String account = "444444444444";
        SignedClient.admin(
                base, ADMIN_TOKEN, "POST", "/admin/tenants", "{\"accountId\":\"" + account + "\",\"maxQueues\":1}");
        JsonNode key = json(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/keys", ""));
        SignedClient d = new SignedClient(
                base,
                key.get("accessKeyId").asText(),
                key.get("secretAccessKey").asText());

        createQueue(d, "limit-one");
        createQueue(d, "limit-one");
        assertJsonError(d.json("CreateQueue", "{\"QueueName\":\"limit-two\"}"), 403, "OverLimit");
    }

    @Test
    void tenantMessageLimitIsOverLimitUntilMessagesAreDeleted() {
        String account = "555555555555";
        SignedClient.admin(
                base, ADMIN_TOKEN, "POST", "/admin/tenants", "{\"accountId\":\"" + account + "\",\"maxMessages\":3}");
        JsonNode key = json(SignedClient.admin(base, ADMIN_TOKEN, "POST", "/admin/tenants/" + account + "/keys", ""));
        SignedClient e = new SignedClient(
                base,
                key.get("accessKeyId").asText(),
                key.get("secretAccessKey").asText());
        String url = createQueue(e, "limited");

        assertThat(e.json(
                                "SendMessageBatch",
                                "{\"QueueUrl\":\"" + url + "\",\"Entries\":["
                                        + "{\"Id\":\"a\",\"MessageBody\":\"1\"},{\"Id\":\"b\",\"MessageBody\":\"2\"}]}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(e.json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"3\"}")
                        .statusCode())
                .isEqualTo(200);
        assertJsonError(
                e.json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"4\"}"), 403, "OverLimit");

        e.json("PurgeQueue", "{\"QueueUrl\":\"" + url + "\"}");
        assertThat(e.json("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"5\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    // ---- helpers

    private static JsonNode json(HttpResponse<String> reply) {
        try {
            return JSON.readTree(reply.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
    }

    private static void assertJsonError(HttpResponse<String> reply, int status, String queryCode) {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().firstValue("x-amzn-query-error"))
                .as(reply.body())
                .hasValue(queryCode + ";Sender");
    }

    private static void assertQueryError(HttpResponse<String> reply, int status, String code) {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
        assertThat(reply.body()).contains("<Code>" + code + "</Code>");
    }
}
