package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The per-queue, request, store and authentication series at {@code /q/metrics} of the packaged server, after known
 * traffic through the AWS SDK for Java v2 (JSON 1.0) and v1 (query): each value is what that traffic must give. The
 * server runs on the test clock, so ages and long-poll deadlines move only when the test says, and with {@code
 * sluice.metrics.max-queues} at {@value #MAX_QUEUES}: the queues named {@code a-…} sort first and always have series of
 * their own; the cap test adds {@code zz-…} queues beyond it.
 */
class MetricsTest {
    static final int MAX_QUEUES = 12;
    /** A series name in a PromQL expression (Sluice's own, the JVM's, the process'). */
    private static final Pattern SERIES = Pattern.compile("\\b(?:sluice|jvm|process)_[a-z0-9_]+\\b");

    private static ManualClockServer server;
    private static URI endpoint;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = ManualClockServer.start(MetricsTest.class, "-Dsluice.metrics.max-queues=" + MAX_QUEUES);
        endpoint = server.endpoint;
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void advance(int seconds) {
        server.advance(String.valueOf(seconds));
    }

    private static String create(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    @Test
    void sendThreeReceiveTwoDeleteOne() {
        String url = create("a-counts", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        List<String> bodies = List.of("one", "twenty-two", "three hundred and thirty-three");
        for (String body : bodies) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        }
        // One attribute: SentMessageSize counts its name, data type and value as SQS does.
        sqs.sendMessage(r -> r.queueUrl(url)
                .messageBody("later")
                .delaySeconds(60)
                .messageAttributes(Map.of(
                        "kind",
                        MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("late")
                                .build())));
        List<Message> received =
                sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(2)).messages();
        assertThat(received).hasSize(2);
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(received.getFirst().receiptHandle()));
        // A second delete with the same handle succeeds; CloudWatch counts it too.
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(received.getFirst().receiptHandle()));

        PrometheusScrape metrics = PrometheusScrape.of(endpoint);

        assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_visible", "a-counts"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_not_visible", "a-counts"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_delayed", "a-counts"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_number_of_messages_sent_total", "a-counts"))
                .isEqualTo(4);
        assertThat(metrics.ofQueue("sluice_number_of_messages_received_total", "a-counts"))
                .isEqualTo(2);
        assertThat(metrics.ofQueue("sluice_number_of_messages_deleted_total", "a-counts"))
                .isEqualTo(2);
        assertThat(metrics.ofQueue("sluice_number_of_empty_receives_total", "a-counts"))
                .isZero();
        long bytes = bodies.stream()
                        .mapToLong(body -> body.getBytes(StandardCharsets.UTF_8).length)
                        .sum()
                + "later".length()
                + "kind".length()
                + "String".length()
                + "late".length();
        assertThat(metrics.ofQueue("sluice_sent_message_size_bytes_count", "a-counts"))
                .isEqualTo(4);
        assertThat(metrics.ofQueue("sluice_sent_message_size_bytes_sum", "a-counts"))
                .isEqualTo(bytes);
        // The gauges agree with what GetQueueAttributes says.
        Map<String, String> attributes = sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
        assertThat(attributes)
                .containsEntry("ApproximateNumberOfMessages", "1")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "1");

        // Once the visibility timeout and the delay are over, the gauges follow without any request to the queue.
        advance(61);
        PrometheusScrape later = PrometheusScrape.of(endpoint);
        assertThat(later.ofQueue("sluice_approximate_number_of_messages_visible", "a-counts"))
                .isEqualTo(3);
        assertThat(later.ofQueue("sluice_approximate_number_of_messages_not_visible", "a-counts"))
                .isZero();
        assertThat(later.ofQueue("sluice_approximate_number_of_messages_delayed", "a-counts"))
                .isZero();
    }

    @Test
    void ageOfOldestMessageFollowsTheClock() {
        String url = create("a-age", Map.of());
        assertThat(PrometheusScrape.of(endpoint).ofQueue("sluice_approximate_age_of_oldest_message_seconds", "a-age"))
                .as("empty queue")
                .isZero();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("old"));
        advance(100);
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("new"));

        assertThat(PrometheusScrape.of(endpoint).ofQueue("sluice_approximate_age_of_oldest_message_seconds", "a-age"))
                .isEqualTo(100);
    }

    @Test
    void emptyReceivesCountImmediateAndLongPolls() throws Exception {
        String url = create("a-empty", Map.of());
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(() ->
                sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages());
        // The poll is parked until the clock passes its deadline; move it until the poll has ended.
        for (int i = 0; i < 100 && !poll.isDone(); i++) {
            advance(6);
            try {
                poll.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not parked yet when the clock moved: move it again
            }
        }
        assertThat(poll.get(5, TimeUnit.SECONDS)).isEmpty();

        assertThat(PrometheusScrape.of(endpoint).ofQueue("sluice_number_of_empty_receives_total", "a-empty"))
                .isEqualTo(2);
    }

    @Test
    void deadLetterMovesAndTheDeadLetterQueueFlag() {
        String redrive = Sdk.deadLetterQueue(sqs, "a-dlq", 1);
        String url = create(
                "a-dlq-source",
                Map.of(QueueAttributeName.REDRIVE_POLICY, redrive, QueueAttributeName.VISIBILITY_TIMEOUT, "10"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("poison"));
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1);
        advance(11);
        // Received once already (maxReceiveCount 1): this receive moves it to the dead-letter queue instead.
        assertThat(sqs.receiveMessage(r -> r.queueUrl(url)).messages()).isEmpty();

        PrometheusScrape metrics = PrometheusScrape.of(endpoint);
        assertThat(metrics.ofQueue("sluice_number_of_messages_dead_lettered_total", "a-dlq-source"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_visible", "a-dlq"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_dead_letter_queue", "a-dlq")).isEqualTo(1);
        assertThat(metrics.find(
                        "sluice_dead_letter_queue",
                        Map.of("account", PrometheusScrape.DEFAULT_ACCOUNT, "queue", "a-dlq-source")))
                .as("a queue no RedrivePolicy names is no dead-letter queue")
                .isEmpty();
    }

    @Test
    void fifoDuplicatesAreCountedApart() {
        String url = create("a-dedup.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(
                    r -> r.queueUrl(url).messageBody("once").messageGroupId("g").messageDeduplicationId("d"));
        }

        PrometheusScrape metrics = PrometheusScrape.of(endpoint);
        assertThat(metrics.ofQueue("sluice_number_of_messages_sent_total", "a-dedup.fifo"))
                .isEqualTo(1);
        assertThat(metrics.ofQueue("sluice_number_of_deduplicated_messages_total", "a-dedup.fifo"))
                .isEqualTo(2);
        assertThat(metrics.ofQueue("sluice_approximate_number_of_messages_visible", "a-dedup.fifo"))
                .isEqualTo(1);
    }

    @Test
    void requestsByActionProtocolAndOutcome() throws Exception {
        String url = create("a-requests", Map.of());
        Map<String, String> jsonSends = Map.of("action", "SendMessage", "protocol", "json", "outcome", "Success");
        Map<String, String> querySends = Map.of("action", "SendMessage", "protocol", "query", "outcome", "Success");
        Map<String, String> missing = Map.of(
                "action", "GetQueueUrl", "protocol", "json", "outcome", "AWS.SimpleQueueService.NonExistentQueue");
        PrometheusScrape before = PrometheusScrape.of(endpoint);

        sqs.sendMessage(r -> r.queueUrl(url).messageBody("json"));
        try (SdkV1Port v1 = new SdkV1Port(endpoint)) {
            v1.sendMessage(url, OutgoingMessage.of("query"));
            v1.sendMessage(url, OutgoingMessage.of("query"));
        }
        assertThatThrownBy(() -> sqs.getQueueUrl(r -> r.queueName("a-no-such-queue")))
                .isInstanceOf(QueueDoesNotExistException.class);

        PrometheusScrape after = PrometheusScrape.of(endpoint);
        assertThat(count(after, jsonSends) - count(before, jsonSends)).isEqualTo(1);
        assertThat(count(after, querySends) - count(before, querySends)).isEqualTo(2);
        assertThat(count(after, missing) - count(before, missing)).isEqualTo(1);
        // A histogram: its buckets up to +Inf hold every request.
        assertThat(after.value("sluice_requests_seconds_bucket", with(querySends, "le", "+Inf")))
                .isEqualTo(count(after, querySends));
        assertThat(after.value("sluice_store_commit_seconds_count", Map.of())).isPositive();
        assertThat(after.value("sluice_store_fsync_seconds_count", Map.of())).isPositive();
        assertThat(after.value("sluice_store_group_commit_messages_sum", Map.of()))
                .isGreaterThanOrEqualTo(3);
        assertThat(after.value("sluice_store_journal_bytes", Map.of())).isPositive();
    }

    @Test
    void authFailureCodesArePresentBeforeTheFirstFailure() {
        PrometheusScrape metrics = PrometheusScrape.of(endpoint);
        for (String code : List.of(
                "MissingAuthenticationToken",
                "IncompleteSignature",
                "InvalidClientTokenId",
                "SignatureDoesNotMatch",
                "AccessDenied",
                "MissingAdminCredentials",
                "InvalidAdminToken",
                "InvalidTenantCredentials",
                "InvalidConsoleSession",
                "InvalidCsrfToken",
                "AdminAuthThrottled")) {
            assertThat(metrics.find("sluice_auth_failures_total", Map.of("code", code)))
                    .as(code)
                    .hasSize(1);
        }
    }

    @Test
    void queuesPastTheCapAreSummedIntoOther() {
        int extra = MAX_QUEUES + 3;
        for (int i = 0; i < extra; i++) {
            String url = create("zz-%02d".formatted(i), Map.of());
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("x"));
        }
        List<String> urls = sqs.listQueues().queueUrls();

        PrometheusScrape metrics = PrometheusScrape.of(endpoint);
        List<PrometheusScrape.Sample> visible = metrics.find("sluice_approximate_number_of_messages_visible", Map.of());
        assertThat(metrics.value("sluice_queues", Map.of())).isEqualTo(urls.size());
        assertThat(visible).hasSize(MAX_QUEUES + 1);
        assertThat(visible)
                .filteredOn(sample -> sample.labels().get("queue").equals("other"))
                .singleElement()
                .satisfies(other -> assertThat(other.labels()).containsEntry("account", "other"));
        assertThat(visible)
                .filteredOn(sample -> sample.labels().get("queue").startsWith("a-"))
                .as("the queues first by name keep their own series")
                .isNotEmpty()
                .allSatisfy(sample -> assertThat(sample.labels())
                        .containsEntry("account", "000000000000")
                        .as("the queue's region: the server's default")
                        .containsEntry("region", "us-east-1"));
        double total = urls.stream()
                .mapToDouble(url -> Double.parseDouble(sqs.getQueueAttributes(
                                r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        .attributesAsStrings()
                        .get("ApproximateNumberOfMessages")))
                .sum();
        assertThat(visible.stream().mapToDouble(PrometheusScrape.Sample::value).sum())
                .as("nothing is lost in the sum")
                .isEqualTo(total);
        assertThat(capWarnings()).as("logged once").isEqualTo(1);
        PrometheusScrape.of(endpoint);
        assertThat(capWarnings()).isEqualTo(1);
    }

    /**
     * monitoring/grafana-dashboard.json and monitoring/sluice-alerts.yml name only series that exist: after traffic
     * through both SDKs (a dead-letter queue with a message in it included), every series name in every query of the
     * dashboard and every alert expression is at /q/metrics.
     */
    @Test
    void dashboardAndAlertRulesNameOnlyExistingSeries() throws Exception {
        String redrive = Sdk.deadLetterQueue(sqs, "a-monitoring-dlq", 1);
        String url = create("a-monitoring", Map.of(QueueAttributeName.REDRIVE_POLICY, redrive));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("watched"));
        try (SdkV1Port v1 = new SdkV1Port(endpoint)) {
            v1.sendMessage(url, OutgoingMessage.of("watched too"));
        }
        sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10));

        Path monitoring = Path.of(System.getProperty("sluice.module.dir", "."))
                .resolve("../monitoring")
                .normalize();
        JsonNode dashboard = new ObjectMapper()
                .readTree(monitoring.resolve("grafana-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(panel -> panel.path("targets")
                        .forEach(target -> expressions.add(target.path("expr").asText())));
        assertThat(expressions).as("dashboard queries").hasSizeGreaterThan(20);
        Map<String, Object> rules = new Yaml().load(Files.readString(monitoring.resolve("sluice-alerts.yml")));
        List<String> alerts = new ArrayList<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                assertThat(alert.get("alert")).as("alert name").isInstanceOf(String.class);
                assertThat(((Map<?, ?>) alert.get("labels")).get("severity"))
                        .as("severity")
                        .isNotNull();
                alerts.add((String) alert.get("alert"));
                expressions.add((String) alert.get("expr"));
            }
        }
        assertThat(alerts)
                .contains("SluiceQueueOldestMessageTooOld", "SluiceDeadLetterQueueNotEmpty", "SluiceHighErrorRate");

        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            Matcher series = SERIES.matcher(expression);
            while (series.find()) {
                named.add(series.group());
            }
        }
        assertThat(named)
                .contains(
                        "sluice_approximate_age_of_oldest_message_seconds",
                        "sluice_dead_letter_queue",
                        "sluice_requests_seconds_count");
        Set<String> present = PrometheusScrape.of(endpoint).names();
        assertThat(named)
                .as("series named by the dashboard and the alert rules")
                .allMatch(present::contains);
    }

    /** The warnings logged so far that the queues are more than the cap. */
    private static long capWarnings() {
        return server.process
                .logText()
                .lines()
                .filter(line -> line.contains("more than sluice.metrics.max-queues"))
                .count();
    }

    private static double count(PrometheusScrape metrics, Map<String, String> labels) {
        List<PrometheusScrape.Sample> found = metrics.find("sluice_requests_seconds_count", labels);
        return found.isEmpty() ? 0 : found.getFirst().value();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(key, value);
        return more;
    }
}
