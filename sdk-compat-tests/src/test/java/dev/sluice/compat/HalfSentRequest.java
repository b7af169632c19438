package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON 1.0 SendMessage written by hand on its own connection: headers with {@code Expect: 100-continue}, then, once
 * the server has answered {@code 100 Continue}, half the body, and the rest on {@link #finish()}: a request that is
 * certainly in flight in between, for the graceful stop test.
 */
final class HalfSentRequest implements AutoCloseable {
    private static final Pattern MESSAGE_ID = Pattern.compile("\"MessageId\"\\s*:\\s*\"([^\"]+)\"");

    private final Socket socket;
    private final byte[] body;
    private final int half;

    HalfSentRequest(URI endpoint, String queueUrl, String messageBody) throws IOException {
        body = ("{\"QueueUrl\":\"" + queueUrl + "\",\"MessageBody\":\"" + messageBody + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        half = body.length / 2;
        socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(30_000);
        String head = "POST / HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request\r\n"
                + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        // The interim answer says the server has read the headers and taken the request: from here on it is in
        // flight, whatever the load on the machine, and a stop must finish it.
        assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 100");
        socket.getOutputStream().write(body, 0, half);
        socket.getOutputStream().flush();
    }

    /** Sends the rest of the body; returns the MessageId of the 200 answer. */
    String finish() throws IOException {
        socket.getOutputStream().write(body, half, body.length - half);
        socket.getOutputStream().flush();
        String reply = readReply(socket.getInputStream());
        assertThat(reply).startsWith("HTTP/1.1 200");
        Matcher id = MESSAGE_ID.matcher(reply);
        assertThat(id.find()).as(reply).isTrue();
        return id.group(1);
    }

    /** The status a fresh ListQueues request on a new connection gets. */
    static int statusOfNewRequest(URI endpoint) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            return http.send(
                            HttpRequest.newBuilder(endpoint.resolve("/"))
                                    .header("Content-Type", "application/x-amz-json-1.0")
                                    .header("X-Amz-Target", "AmazonSQS.ListQueues")
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    /** Reads one reply head, up to and including its blank line, and no further. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    /** Reads one HTTP/1.1 reply with a Content-Length body. */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int headEnd = -1;
        int length = -1;
        byte[] buffer = new byte[4096];
        while (true) {
            String text = read.toString(StandardCharsets.UTF_8);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                Matcher contentLength =
                        Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text.substring(0, headEnd));
                length = contentLength.find() ? Integer.parseInt(contentLength.group(1)) : 0;
            }
            if (headEnd >= 0 && read.size() >= headEnd + 4 + length) {
                return text;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return text;
            }
            read.write(buffer, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
