package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The admin API of the packaged server in the sigv4 auth mode, with the AWS SDK for Java v2 on the SQS side: the
 * operator (admin token) sees and steers every tenant's queues, a tenant (its key, SigV4-signed) only its own; peek
 * receives nothing; redrive tasks start and cancel; bad input is a 400 with problem details; failed tokens are
 * counted, logged at a limited rate and slowed down per client address.
 */
class AdminApiTest {
    private static final String TOKEN = "admin-api-test-token";
    private static final String ACCOUNT_A = "111111111111";
    private static final String KEY_A = "AKIDADMINTESTA";
    private static final String SECRET_A = "secret-a";
    private static final String ACCOUNT_B = "222222222222";
    private static final String KEY_B = "AKIDADMINTESTB";
    private static final String SECRET_B = "secret-b";

    private static SluiceProcess server;
    private static URI endpoint;
    private static AdminHttp admin;
    private static SqsClient a;
    private static SqsClient b;

    @BeforeAll
    static void start() {
        String name = AdminApiTest.class.getSimpleName();
        server = SluiceServer.startOwn(
                name,
                List.of(
                        "-Dsluice.auth.mode=sigv4",
                        "-Dsluice.admin.token=" + TOKEN,
                        "-Dsluice.tenants=" + ACCOUNT_A + ":" + KEY_A + ":" + SECRET_A + "," + ACCOUNT_B + ":" + KEY_B
                                + ":" + SECRET_B));
        endpoint = server.endpoint();
        admin = new AdminHttp(endpoint);
        a = Sdk.v2(endpoint, KEY_A, SECRET_A);
        b = Sdk.v2(endpoint, KEY_B, SECRET_B);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, server}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // Best effort.
            }
        }
    }

    private static AdminHttp.Reply operator(String method, String path, String body) {
        return admin.withToken(TOKEN, method, path, body);
    }

    private static AdminHttp.Reply tenantA(String method, String path, String body) {
        return admin.signed(KEY_A, SECRET_A, method, path, body);
    }

    @Test
    void theOperatorSeesEveryTenantsQueuesAndATenantOnlyItsOwn() {
        a.createQueue(r -> r.queueName("listed-a"));
        b.createQueue(r -> r.queueName("listed-b"));

        JsonNode all = operator("GET", "/admin/queues", null).json();
        assertThat(names(all)).contains(ACCOUNT_A + "/listed-a", ACCOUNT_B + "/listed-b");
        JsonNode onlyB =
                operator("GET", "/admin/queues?account=" + ACCOUNT_B, null).json();
        assertThat(names(onlyB)).contains(ACCOUNT_B + "/listed-b").doesNotContain(ACCOUNT_A + "/listed-a");

        AdminHttp.Reply own = tenantA("GET", "/admin/queues", null);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(names(own.json())).contains(ACCOUNT_A + "/listed-a").allMatch(n -> n.startsWith(ACCOUNT_A));
        assertProblem(tenantA("GET", "/admin/queues?account=" + ACCOUNT_B, null), 403, "AccessDenied");
        assertProblem(tenantA("GET", "/admin/queues/" + ACCOUNT_B + "/listed-b", null), 403, "AccessDenied");
        assertProblem(tenantA("GET", "/admin/queues/" + ACCOUNT_B + "/listed-b/messages", null), 403, "AccessDenied");
        assertProblem(tenantA("GET", "/admin/tenants", null), 403, "AccessDenied");
        assertProblem(admin.signed(KEY_A, "wrong-secret", "GET", "/admin/queues", null), 401, "SignatureDoesNotMatch");
    }

    @Test
    void aTenantSendsPeeksAndPurgesItsOwnQueue() {
        String url = a.createQueue(r -> r.queueName("tenant-steered")).queueUrl();
        String path = "/admin/queues/" + ACCOUNT_A + "/tenant-steered";
        AdminHttp.Reply sent = tenantA(
                "POST",
                path + "/messages",
                "{\"body\":\"from the admin API\",\"messageAttributes\":{\"n\":{\"dataType\":\"Number\","
                        + "\"stringValue\":\"42\"}}}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().get("md5OfMessageBody").asText()).isEqualTo(md5("from the admin API"));

        JsonNode page = tenantA("GET", path + "/messages", null).json();
        assertThat(page.get("messages")).singleElement().satisfies(message -> {
            assertThat(message.get("body").asText()).isEqualTo("from the admin API");
            assertThat(message.get("messageAttributes")
                            .get("n")
                            .get("stringValue")
                            .asText())
                    .isEqualTo("42");
            assertThat(message.get("state").asText()).isEqualTo("visible");
        });
        List<Message> received = a.receiveMessage(r -> r.queueUrl(url).messageAttributeNames("All"))
                .messages();
        assertThat(received).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("from the admin API");
            assertThat(message.messageAttributes().get("n").stringValue()).isEqualTo("42");
        });

        a.sendMessage(r -> r.queueUrl(url).messageBody("to purge"));
        assertThat(tenantA("POST", path + "/purge", null).status()).isEqualTo(204);
        assertThat(count(a, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo("0");
    }

    @Test
    void peekIsNoReceive() {
        String url = a.createQueue(r -> r.queueName("peeked")).queueUrl();
        a.sendMessage(r -> r.queueUrl(url).messageBody("look, don't touch"));
        String path = "/admin/queues/" + ACCOUNT_A + "/peeked/messages";
        for (int i = 0; i < 3; i++) {
            assertThat(operator("GET", path, null).json().get("messages")).hasSize(1);
        }
        assertThat(count(a, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo("1");

        Message received = a.receiveMessage(r -> r.queueUrl(url)
                        .visibilityTimeout(300)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages()
                .getFirst();
        assertThat(received.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .isEqualTo("1");
        JsonNode inFlight = operator("GET", path, null).json().get("messages").get(0);
        assertThat(inFlight.get("state").asText()).isEqualTo("inFlight");
        assertThat(inFlight.get("receiveCount").asInt()).isEqualTo(1);
        assertThat(java.time.Instant.parse(inFlight.get("visibleAt").asText()))
                .isAfter(java.time.Instant.now().plusSeconds(250));
        assertThat(count(a, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .isEqualTo("1");
        assertThat(a.receiveMessage(r -> r.queueUrl(url)).messages())
                .as("still in flight")
                .isEmpty();
    }

    @Test
    void peekPagesThroughABacklogOldestFirst() {
        String url = a.createQueue(r -> r.queueName("backlog")).queueUrl();
        List<String> sent = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id("e" + i)
                        .messageBody("message " + n)
                        .build());
            }
            a.sendMessageBatch(r -> r.queueUrl(url).entries(entries)).successful().stream()
                    .sorted(java.util.Comparator.comparing(
                            entry -> Integer.parseInt(entry.id().substring(1))))
                    .forEach(entry -> sent.add(entry.messageId()));
        }
        List<String> peeked = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = operator(
                            "GET",
                            "/admin/queues/" + ACCOUNT_A + "/backlog/messages?limit=12"
                                    + (next == null ? "" : "&next=" + next),
                            null)
                    .json();
            page.get("messages")
                    .forEach(message -> peeked.add(message.get("messageId").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (next != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(peeked).containsExactlyElementsOf(sent);
        assertProblem(
                operator("GET", "/admin/queues/" + ACCOUNT_A + "/backlog/messages?limit=101", null),
                400,
                "InvalidParameterValue");
        assertProblem(
                operator("GET", "/admin/queues/" + ACCOUNT_A + "/backlog/messages?next=garbage", null),
                400,
                "InvalidParameterValue");
    }

    @Test
    void redriveTasksStartReportProgressAndCancel() {
        String redrive = Sdk.deadLetterQueue(a, "admin-dlq", 1);
        String dlqUrl = a.getQueueUrl(r -> r.queueName("admin-dlq")).queueUrl();
        String source = a.createQueue(
                        r -> r.queueName("admin-source").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)))
                .queueUrl();
        for (int i = 0; i < 5; i++) {
            a.sendMessage(r -> r.queueUrl(source).messageBody("dead letter"));
        }
        a.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0));
        a.receiveMessage(r -> r.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0));
        assertThat(count(a, dlqUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo("5");
        String tasks = "/admin/queues/" + ACCOUNT_A + "/admin-dlq/move-tasks";

        JsonNode detail = operator("GET", "/admin/queues/" + ACCOUNT_A + "/admin-dlq", null)
                .json();
        assertThat(detail.get("deadLetterSourceQueues").get(0).get("name").asText())
                .isEqualTo("admin-source");
        assertProblem(
                operator("POST", "/admin/queues/" + ACCOUNT_A + "/admin-source/move-tasks", "{}"),
                400,
                "InvalidParameterValue");

        AdminHttp.Reply slow = operator("POST", tasks, "{\"maxNumberOfMessagesPerSecond\":1}");
        assertThat(slow.status()).as(slow.body()).isEqualTo(200);
        String handle = slow.json().get("taskHandle").asText();
        AdminHttp.Reply cancelled = operator("POST", tasks + "/" + handle + "/cancel", null);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(operator("GET", tasks, null).json().get(0).get("status").asText())
                .isEqualTo("CANCELLED");
        assertProblem(operator("POST", tasks + "/" + handle + "/cancel", null), 400, "InvalidParameterValue");
        assertProblem(operator("POST", tasks + "/not-a-task/cancel", null), 404, "NotFound");

        assertThat(operator("POST", tasks, null).status()).isEqualTo(200);
        JsonNode done = awaitTask(tasks, "COMPLETED");
        assertThat(done.get("approximateNumberOfMessagesToMove").asLong())
                .isEqualTo(done.get("approximateNumberOfMessagesMoved").asLong());
        assertThat(count(a, source, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo("5");
    }

    @Test
    void adminInputIsValidatedWithProblemDetails() {
        assertProblem(
                operator("POST", "/admin/tenants", "{\"accountId\":\"666666666666\",\"maxQueues\":\"abc\"}"),
                400,
                "InvalidJson");
        assertProblem(
                operator("POST", "/admin/tenants", "{\"accountId\":\"666666666666\",\"maxQueues\":1e10}"),
                400,
                "InvalidJson");
        assertProblem(
                operator("POST", "/admin/tenants", "{\"accountId\":\"666666666666\",\"maxQueues\":-1}"),
                400,
                "InvalidParameterValue");
        assertProblem(operator("POST", "/admin/tenants", "{\"accountId\":\"66\"}"), 400, "InvalidParameterValue");
        assertProblem(operator("GET", "/admin/queues?limit=abc", null), 400, "InvalidParameterValue");
        assertProblem(
                operator("GET", "/admin/queues/" + ACCOUNT_A + "/missing", null),
                404,
                "AWS.SimpleQueueService.NonExistentQueue");
        assertProblem(operator("GET", "/admin/clock", null), 404, "ClockNotManual");
        assertThat(operator("GET", "/admin/tenants/666666666666", null).status())
                .as("nothing was created")
                .isEqualTo(404);
    }

    @Test
    void failedTokensAreCountedLoggedAtALimitedRateAndSlowedDownPerAddress() throws Exception {
        AdminHttp guesser = new AdminHttp(endpoint, InetAddress.getByName("127.0.0.7"));
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertProblem(guesser.withToken("guess-" + i, "GET", "/admin/tenants", null), 401, "InvalidAdminToken");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(seconds).as("failures past the third wait longer each time").isGreaterThan(2.5);

        AdminHttp.Reply throttled = guesser.withToken(TOKEN, "GET", "/admin/tenants", null);
        assertProblem(throttled, 429, "AdminAuthThrottled");
        assertThat(throttled.header("Retry-After")).matches("\\d+");
        assertThat(operator("GET", "/admin/tenants", null).status())
                .as("another address is not slowed down")
                .isEqualTo(200);

        JsonNode metrics = operator("GET", "/admin/metrics", null).json();
        assertThat(metrics.get("authFailures").get("InvalidAdminToken").asLong())
                .isGreaterThanOrEqualTo(10);
        assertThat(metrics.get("authFailures").get("AdminAuthThrottled").asLong())
                .isGreaterThanOrEqualTo(1);
        long lines = Files.readAllLines(server.log()).stream()
                .filter(line -> line.contains("admin API: failed authentication"))
                .count();
        assertThat(lines).as("11 failures, at most one line per 10 s").isBetween(1L, 2L);
    }

    private static JsonNode awaitTask(String tasks, String status) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = operator("GET", tasks, null).json().get(0);
            if (last.get("status").asText().equals(status)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("task not " + status + ": " + last);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("queues")
                .forEach(q -> names.add(
                        q.get("accountId").asText() + "/" + q.get("name").asText()));
        return names;
    }

    private static String count(SqsClient client, String url, QueueAttributeName name) {
        return client.getQueueAttributes(r -> r.queueUrl(url).attributeNames(name))
                .attributes()
                .get(name);
    }

    private static void assertProblem(AdminHttp.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
