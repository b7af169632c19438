package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * {@code sluice export} and {@code sluice import} between the journal and PostgreSQL, both ways, with real servers:
 * a journal server in the sigv4 mode is filled through the AWS SDK for Java v2 (a standard queue with tags, a policy,
 * message attributes, a trace header and a delayed message; a dead-letter queue holding a dead-lettered message; a
 * message received twice and still in flight; a FIFO queue of two groups with deduplication ids), stopped and
 * exported; the file is imported into a fresh PostgreSQL database, and a server in the postgres mode, declaring no
 * tenants, serves it all to the tenants' own keys: the same queue attributes, tags and creation times, message ids,
 * bodies, MD5s, attributes, sent times, receive counts (the in-flight message visible again, its count kept), FIFO
 * order and sequence numbers, deduplication of a resend. Then the same from that PostgreSQL back into a fresh journal.
 * A bad file and a non-empty target are refused with one line.
 */
class BackendTransferTest {
    private static final String ACCOUNT = "111111111111";
    private static final String KEY = "AKIDEXPORTER";
    private static final String SECRET = "exporter/secret+1";
    private static final String ADMIN_TOKEN = "transfer-admin-token";
    private static final List<String> QUEUES = List.of("orders", "orders-dlq", "work", "poison", "events.fifo");
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"sqs:SendMessage\","
            + "\"Resource\":\"arn:aws:sqs:us-east-1:111111111111:orders\"}]}";

    /** A message as sent, with what the next receive must show. */
    private static final class Expected {
        final String queue;
        final String id;
        final String body;
        final String md5OfBody;
        final String md5OfAttributes;
        final Map<String, MessageAttributeValue> attributes;
        final String sequence;
        final String group;
        final String dedup;
        final long sentAfter;
        final long sentBefore;
        String firstReceive;
        String deadLetterSource;
        int receives;

        Expected(
                String queue,
                SendMessageResponse sent,
                String body,
                Map<String, MessageAttributeValue> attributes,
                String group,
                String dedup,
                long sentAfter) {
            this.queue = queue;
            this.id = sent.messageId();
            this.body = body;
            this.md5OfBody = sent.md5OfMessageBody();
            this.md5OfAttributes = sent.md5OfMessageAttributes();
            this.attributes = attributes;
            this.sequence = sent.sequenceNumber();
            this.group = group;
            this.dedup = dedup;
            this.sentAfter = sentAfter;
            this.sentBefore = System.currentTimeMillis();
        }
    }

    private final Map<String, Expected> expected = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> queueAttributes = new HashMap<>();
    private int deduplicationChecks;
    private String tenantKeyId;
    private String tenantKeySecret;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS) // three servers and four runs of the jar, on a loaded machine
    void journalToPostgresAndBack() throws Exception {
        Path dir = SluiceServer.newDataDir("BackendTransferTest-files");
        Path journalFile = dir.resolve("from-journal.ndjson");
        Path postgresFile = dir.resolve("from-postgres.ndjson");
        Path journalDir = SluiceServer.newDataDir("BackendTransferTest-journal");
        List<String> sigv4 = List.of("-Dsluice.auth.mode=sigv4", "-Dsluice.admin.token=" + ADMIN_TOKEN);

        try (SluiceProcess server = start(journalDir, "journal", withTenant(sigv4))) {
            fill(server.endpoint());
            SluiceProcess.Finished busy = run("export", journalDir, List.of(), "--out", journalFile.toString());
            assertThat(busy.exitStatus()).isEqualTo(1);
            assertThat(busy.output().strip())
                    .startsWith("sluice export: ")
                    .contains("in use by another Sluice process")
                    .doesNotContain("\n");
            assertThat(journalFile).doesNotExist();
        }
        assertThat(run("export", journalDir, List.of(), "--out", journalFile.toString())
                        .exitStatus())
                .isZero();
        assertThat(Files.readAllLines(journalFile).getFirst()).contains("\"record\":\"header\"");

        PostgresCluster cluster = PostgresCluster.shared();
        String database = cluster.createDatabase("transfer");
        List<String> postgres = List.of(
                "-Dsluice.storage=postgres",
                "-Dquarkus.datasource.reactive.url=" + cluster.reactiveUrl(database),
                "-Dquarkus.datasource.username=" + PostgresCluster.USER);
        Path postgresDir = SluiceServer.newDataDir("BackendTransferTest-postgres");
        SluiceProcess.Finished imported = run("import", postgresDir, postgres, "--in", journalFile.toString());
        assertThat(imported.exitStatus()).as(imported.output()).isZero();
        assertThat(imported.output()).contains("2 tenants", "5 queues");

        SluiceProcess.Finished again = run("import", postgresDir, postgres, "--in", journalFile.toString());
        assertThat(again.exitStatus()).isEqualTo(1);
        assertThat(again.output().strip())
                .startsWith("sluice import: the target already holds")
                .doesNotContain("\n");

        try (SluiceProcess server = start(postgresDir, "postgres", concat(sigv4, postgres))) {
            check(server.endpoint());
        }
        assertThat(run("export", postgresDir, postgres, "--out", postgresFile.toString())
                        .exitStatus())
                .isZero();

        Path backDir = SluiceServer.newDataDir("BackendTransferTest-journal-again");
        SluiceProcess.Finished back = run("import", backDir, List.of(), "--in", postgresFile.toString());
        assertThat(back.exitStatus()).as(back.output()).isZero();
        try (SluiceProcess server = start(backDir, "journal-again", sigv4)) {
            check(server.endpoint());
        }
        assertThat(deduplicationChecks)
                .as("a resend deduplicated after an import")
                .isPositive();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void badFilesAreRefusedInOneLine() throws Exception {
        Path dir = SluiceServer.newDataDir("BackendTransferTest-bad");
        Path target = SluiceServer.newDataDir("BackendTransferTest-bad-target");
        Map<String, String> files = Map.of(
                "not-json.ndjson", "hello\n",
                "no-header.ndjson",
                        "{\"record\":\"end\",\"tenants\":0,\"accessKeys\":0,\"queues\":0,\"messages\":0,"
                                + "\"deduplications\":0}\n",
                "cut-off.ndjson",
                        "{\"record\":\"header\",\"version\":1,\"exportedAt\":\"x\",\"exportedAtMillis\":1,"
                                + "\"defaultRegion\":\"us-east-1\"}\n",
                "orphan.ndjson",
                        "{\"record\":\"header\",\"version\":1,\"exportedAt\":\"x\",\"exportedAtMillis\":1,"
                                + "\"defaultRegion\":\"us-east-1\"}\n{\"record\":\"message\",\"of\":{\"region\":\"us-east-1\","
                                + "\"accountId\":\"111111111111\",\"name\":\"q\"},\"message\":{\"messageId\":\"m\","
                                + "\"sequence\":1,\"body\":\"b\",\"sentMillis\":1,\"enqueuedMillis\":1,\"receiveCount\":0,"
                                + "\"firstReceiveMillis\":0,\"lastReceiveMillis\":0,\"visibleAtMillis\":0}}\n");
        Map<String, String> reasons = Map.of(
                "not-json.ndjson", "line 1: not a JSON record",
                "no-header.ndjson", "line 1: not a Sluice export",
                "cut-off.ndjson", "without its end record",
                "orphan.ndjson", "line 2: a record of queue q that does not follow its queue record");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.writeString(path, file.getValue());
            SluiceProcess.Finished result = run("import", target, List.of(), "--in", path.toString());
            assertThat(result.exitStatus()).as(file.getKey()).isEqualTo(1);
            assertThat(result.output().strip())
                    .as(file.getKey())
                    .startsWith("sluice import: ")
                    .contains(reasons.get(file.getKey()))
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        try (SluiceProcess server = start(target, "after-bad-imports", List.of())) {
            try (SqsClient sqs = client(server.endpoint(), "000000000000", "x")) {
                assertThat(sqs.listQueues().queueUrls()).isEmpty();
            }
        }
    }

    // ---- the journal, filled

    private void fill(URI endpoint) {
        AdminHttp admin = new AdminHttp(endpoint);
        assertThat(admin.withToken(
                                ADMIN_TOKEN,
                                "POST",
                                "/admin/tenants",
                                "{\"accountId\":\"222222222222\",\"name\":\"team b\",\"maxQueues\":5,"
                                        + "\"quota\":{\"requestsPerSecond\":100}}")
                        .status())
                .isEqualTo(201);
        var key = admin.withToken(ADMIN_TOKEN, "POST", "/admin/tenants/222222222222/keys", "{}")
                .json();
        tenantKeyId = key.path("accessKeyId").asText();
        tenantKeySecret = key.path("secretAccessKey").asText();
        assertThat(tenantKeySecret).isNotEmpty();

        try (SqsClient sqs = client(endpoint, KEY, SECRET)) {
            String dlq = sqs.createQueue(b -> b.queueName("orders-dlq")
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"allowAll\"}")))
                    .queueUrl();
            String dlqArn = arn(sqs, dlq);
            String orders = sqs.createQueue(b -> b.queueName("orders")
                            .attributes(Map.of(
                                    QueueAttributeName.VISIBILITY_TIMEOUT,
                                    "45",
                                    QueueAttributeName.POLICY,
                                    POLICY,
                                    QueueAttributeName.REDRIVE_POLICY,
                                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"10\"}"))
                            .tags(Map.of("team", "payments", "env", "test")))
                    .queueUrl();
            String work = sqs.createQueue(b -> b.queueName("work")
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"10\"}")))
                    .queueUrl();
            String poison = sqs.createQueue(b -> b.queueName("poison")
                            .attributes(Map.of(
                                    QueueAttributeName.REDRIVE_POLICY,
                                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}")))
                    .queueUrl();
            String fifo = sqs.createQueue(
                            b -> b.queueName("events.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                    .queueUrl();

            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            attributes.put(
                    "colour",
                    MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("blue")
                            .build());
            attributes.put(
                    "count",
                    MessageAttributeValue.builder()
                            .dataType("Number.int")
                            .stringValue("42")
                            .build());
            attributes.put(
                    "blob",
                    MessageAttributeValue.builder()
                            .dataType("Binary")
                            .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 255}))
                            .build());
            for (int i = 0; i < 3; i++) {
                String body = "order " + i + " ✓";
                long before = System.currentTimeMillis();
                SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(orders)
                        .messageBody(body)
                        .messageAttributes(attributes)
                        .messageSystemAttributes(Map.of(
                                MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                                MessageSystemAttributeValue.builder()
                                        .dataType("String")
                                        .stringValue("Root=1-5759e988-bd862e3fe1be46a994272793")
                                        .build())));
                add(new Expected("orders", sent, body, attributes, null, null, before));
            }
            sqs.sendMessage(b -> b.queueUrl(orders).messageBody("later").delaySeconds(900));

            // Received twice, the second time with a long timeout: in flight when the server stops.
            long beforeTwice = System.currentTimeMillis();
            SendMessageResponse twice = sqs.sendMessage(b -> b.queueUrl(work).messageBody("twice"));
            Expected received = add(new Expected("work", twice, "twice", Map.of(), null, null, beforeTwice));
            receiveOne(sqs, work, twice.messageId(), 0);
            Message inFlight = receiveOne(sqs, work, twice.messageId(), 600);
            received.receives = 2;
            received.firstReceive =
                    inFlight.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);

            // Received once with maxReceiveCount 1: the next receive moves it to the dead-letter queue.
            long beforeDead = System.currentTimeMillis();
            SendMessageResponse dead = sqs.sendMessage(b -> b.queueUrl(poison).messageBody("poison pill"));
            Expected deadLettered =
                    add(new Expected("orders-dlq", dead, "poison pill", Map.of(), null, null, beforeDead));
            assertThat(sqs.receiveMessage(b -> b.queueUrl(poison).visibilityTimeout(0))
                            .messages())
                    .hasSize(1);
            assertThat(sqs.receiveMessage(b -> b.queueUrl(poison)).messages()).isEmpty();
            deadLettered.receives = 1;
            deadLettered.deadLetterSource = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":poison";

            for (String group : List.of("g1", "g2", "g1", "g2", "g1")) {
                String body = "event " + expected.size();
                String dedup = "dedup-" + expected.size();
                long before = System.currentTimeMillis();
                SendMessageResponse sent = sqs.sendMessage(b ->
                        b.queueUrl(fifo).messageBody(body).messageGroupId(group).messageDeduplicationId(dedup));
                add(new Expected("events.fifo", sent, body, Map.of(), group, dedup, before));
            }

            for (String queue : QUEUES) {
                queueAttributes.put(queue, attributes(sqs, url(sqs, queue)));
            }
        }
    }

    private Expected add(Expected message) {
        expected.put(message.id, message);
        return message;
    }

    private static Message receiveOne(SqsClient sqs, String url, String id, int visibility) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .visibilityTimeout(visibility)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
        // Others received on the way become visible again at once.
        List<ChangeMessageVisibilityBatchRequestEntry> others = new ArrayList<>();
        Message wanted = null;
        for (Message message : messages) {
            if (message.messageId().equals(id)) {
                wanted = message;
            } else {
                others.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id("e" + others.size())
                        .receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0)
                        .build());
            }
        }
        assertThat(wanted).as("message " + id + " among " + messages).isNotNull();
        assertThat(others).as("only the one message is in the queue").isEmpty();
        return wanted;
    }

    // ---- a server after an import, checked

    private void check(URI endpoint) {
        try (SqsClient sqs = client(endpoint, KEY, SECRET)) {
            assertThat(sqs.listQueues().queueUrls())
                    .extracting(url -> url.substring(url.lastIndexOf('/') + 1))
                    .containsExactlyInAnyOrderElementsOf(QUEUES);
            for (var queue : queueAttributes.entrySet()) {
                Map<String, String> now = attributes(sqs, url(sqs, queue.getKey()));
                Map<String, String> before = queue.getValue();
                for (String name : List.of(
                        "Policy",
                        "RedrivePolicy",
                        "RedriveAllowPolicy",
                        "VisibilityTimeout",
                        "CreatedTimestamp",
                        "FifoQueue",
                        "ContentBasedDeduplication",
                        "MessageRetentionPeriod",
                        "QueueArn")) {
                    assertThat(now.get(name)).as(queue.getKey() + " " + name).isEqualTo(before.get(name));
                }
            }
            assertThat(sqs.listQueueTags(b -> b.queueUrl(url(sqs, "orders"))).tags())
                    .isEqualTo(Map.of("team", "payments", "env", "test"));
            assertThat(attributes(sqs, url(sqs, "orders")).get("ApproximateNumberOfMessagesDelayed"))
                    .isEqualTo("1");
            assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(url(sqs, "orders-dlq")))
                            .queueUrls())
                    .extracting(url -> url.substring(url.lastIndexOf('/') + 1))
                    .containsExactlyInAnyOrder("orders", "poison", "work");

            receiveAll(sqs, "orders");
            receiveAll(sqs, "work");
            receiveAll(sqs, "orders-dlq");
            List<Message> fifo = receiveAll(sqs, "events.fifo");
            for (String group : List.of("g1", "g2")) {
                assertThat(fifo.stream()
                                .filter(m ->
                                        group.equals(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)))
                                .map(Message::messageId))
                        .as("group " + group + " in send order")
                        .containsExactlyElementsOf(expected.values().stream()
                                .filter(e -> group.equals(e.group))
                                .map(e -> e.id)
                                .toList());
            }

            // A resend within the deduplication window answers with the first message, adding nothing.
            Expected first = expected.values().stream()
                    .filter(e -> e.group != null)
                    .findFirst()
                    .orElseThrow();
            String fifoUrl = url(sqs, "events.fifo");
            // (Only while the first send's 5-minute window lasts: on a loaded machine the second round may come later.)
            if (System.currentTimeMillis() - first.sentBefore
                    < Duration.ofMinutes(4).toMillis()) {
                SendMessageResponse resent = sqs.sendMessage(b -> b.queueUrl(fifoUrl)
                        .messageBody("again")
                        .messageGroupId("g1")
                        .messageDeduplicationId(first.dedup));
                assertThat(resent.messageId()).isEqualTo(first.id);
                assertThat(resent.sequenceNumber()).isEqualTo(first.sequence);
                deduplicationChecks++;
            }
            // A new send's sequence number comes after every restored one.
            String maxSequence = expected.values().stream()
                    .filter(e -> e.sequence != null)
                    .map(e -> e.sequence)
                    .max((a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)))
                    .orElseThrow();
            String freshDedup = "fresh-" + System.nanoTime();
            long beforeFresh = System.currentTimeMillis();
            SendMessageResponse fresh = sqs.sendMessage(b -> b.queueUrl(fifoUrl)
                    .messageBody("fresh")
                    .messageGroupId("g3")
                    .messageDeduplicationId(freshDedup));
            assertThat(new java.math.BigInteger(fresh.sequenceNumber()))
                    .isGreaterThan(new java.math.BigInteger(maxSequence));
            add(new Expected("events.fifo", fresh, "fresh", Map.of(), "g3", freshDedup, beforeFresh));
        }
        try (SqsClient other = client(endpoint, tenantKeyId, tenantKeySecret)) {
            assertThat(other.listQueues().queueUrls()).isEmpty();
        }
        AdminHttp admin = new AdminHttp(endpoint);
        var tenant = admin.withToken(ADMIN_TOKEN, "GET", "/admin/tenants/222222222222", null);
        assertThat(tenant.status()).isEqualTo(200);
        assertThat(tenant.json().path("maxQueues").asInt()).isEqualTo(5);
        assertThat(tenant.json().path("name").asText()).isEqualTo("team b");
        assertThat(tenant.json().path("quota").path("requestsPerSecond").asLong())
                .isEqualTo(100);
    }

    /**
     * Receives every expected message of the queue once, checks each against what was sent, and makes them visible
     * again at once (so the next check finds them, one receive more).
     */
    private List<Message> receiveAll(SqsClient sqs, String queue) {
        String url = url(sqs, queue);
        List<Expected> wanted =
                expected.values().stream().filter(e -> e.queue.equals(queue)).toList();
        List<Message> received = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && received.size() < wanted.size(); attempt++) {
            List<Message> page = sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(60)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                    .messages();
            received.addAll(page);
        }
        assertThat(received)
                .extracting(Message::messageId)
                .containsExactlyInAnyOrderElementsOf(
                        wanted.stream().map(e -> e.id).toList());
        List<ChangeMessageVisibilityBatchRequestEntry> visible = new ArrayList<>();
        for (Message message : received) {
            Expected sent = expected.get(message.messageId());
            Map<MessageSystemAttributeName, String> system = message.attributes();
            assertThat(message.body()).isEqualTo(sent.body);
            assertThat(message.md5OfBody()).isEqualTo(sent.md5OfBody);
            assertThat(message.md5OfMessageAttributes()).isEqualTo(sent.md5OfAttributes);
            assertThat(message.messageAttributes()).isEqualTo(sent.attributes);
            assertThat(system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .as("receive count of " + sent.body)
                    .isEqualTo(Integer.toString(sent.receives + 1));
            assertThat(system.get(MessageSystemAttributeName.SEQUENCE_NUMBER)).isEqualTo(sent.sequence);
            assertThat(system.get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN))
                    .isEqualTo(sent.deadLetterSource);
            if (queue.equals("orders") && !sent.attributes.isEmpty()) {
                assertThat(system.get(MessageSystemAttributeName.AWS_TRACE_HEADER))
                        .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
            }
            long sentAt = Long.parseLong(system.get(MessageSystemAttributeName.SENT_TIMESTAMP));
            assertThat(sentAt).as("sent timestamp of " + sent.body).isBetween(sent.sentAfter, sent.sentBefore);
            if (sent.firstReceive == null) {
                sent.firstReceive = system.get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
            }
            assertThat(system.get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP))
                    .isEqualTo(sent.firstReceive);
            sent.receives++;
            visible.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id("e" + visible.size())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0)
                    .build());
        }
        for (int from = 0; from < visible.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> batch =
                    visible.subList(from, Math.min(visible.size(), from + 10));
            assertThat(sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(batch))
                            .failed())
                    .isEmpty();
        }
        return received;
    }

    // ---- plumbing

    private static List<String> withTenant(List<String> options) {
        return concat(options, List.of("-Dsluice.tenants=" + ACCOUNT + ":" + KEY + ":" + SECRET));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static SluiceProcess start(Path dataDir, String name, List<String> options) {
        return SluiceProcess.start(
                SluiceServer.jar(),
                dataDir,
                SluiceProcess.freePort(),
                SluiceServer.logFile("BackendTransferTest-" + name),
                options);
    }

    /** {@code java -Dsluice.data-dir=DIR OPTIONS -jar quarkus-run.jar COMMAND ARGS}, to its end. */
    private static SluiceProcess.Finished run(String command, Path dataDir, List<String> options, String... args) {
        return SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, options, concat(List.of(command), List.of(args)));
    }

    private static SqsClient client(URI endpoint, String keyId, String secret) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    private static String url(SqsClient sqs, String queue) {
        return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    private static String arn(SqsClient sqs, String url) {
        return attributes(sqs, url).get("QueueArn");
    }

    private static Map<String, String> attributes(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All"))
                .attributesAsStrings();
    }
}
