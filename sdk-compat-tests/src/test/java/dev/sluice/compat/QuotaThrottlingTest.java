package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.retry.RetryUtils;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;

/**
 * Tenant quotas through the AWS SDK for Java v2 (JSON 1.0) and v1 (query protocol) on a sigv4 server with an admin
 * token: a tenant over its quota gets SQS's RequestThrottled, which both SDKs classify as throttling and which their
 * standard retry gets past once the bucket refills; quotas change live through the admin API; a queue's own rate and
 * SQS's FIFO throughput (switched on here) apply to their queues; a parked long poll holds no quota; other tenants
 * are not slowed by a throttled one.
 */
class QuotaThrottlingTest {
    private static final String TOKEN = "quota-admin-token";
    private static final String ACCOUNT_A = "111111111111";
    private static final String KEY_A = "AKIDQUOTAA";
    private static final String SECRET_A = "quota-a-secret";
    private static final String ACCOUNT_B = "222222222222";
    private static final String KEY_B = "AKIDQUOTAB";
    private static final String SECRET_B = "quota-b-secret";
    private static final String ACCOUNT_C = "333333333333";
    private static final String KEY_C = "AKIDQUOTAC";
    private static final String SECRET_C = "quota-c-secret";

    private static SluiceProcess server;
    private static URI endpoint;
    private static AdminHttp admin;

    @BeforeAll
    static void startServer() {
        String name = QuotaThrottlingTest.class.getSimpleName();
        server = SluiceServer.startOwn(
                name,
                List.of(
                        "-Dsluice.auth.mode=sigv4",
                        "-Dsluice.admin.token=" + TOKEN,
                        "-Dsluice.quota.default-requests-per-second=1000",
                        "-Dsluice.quota.fifo-throughput=true",
                        "-Dsluice.tenants=" + ACCOUNT_A + ":" + KEY_A + ":" + SECRET_A + "," + ACCOUNT_B + ":" + KEY_B
                                + ":" + SECRET_B + "," + ACCOUNT_C + ":" + KEY_C + ":" + SECRET_C));
        endpoint = server.endpoint();
        admin = new AdminHttp(endpoint);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SqsClient v2(String key, String secret, RetryStrategy retries) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retries))
                .build();
    }

    private static SqsClient v2NoRetry(String key, String secret) {
        return v2(key, secret, AwsRetryStrategy.doNotRetry());
    }

    /** The SDK's standard retry strategy, with more attempts than its default 3 so jitter cannot make it give up. */
    private static SqsClient v2Standard(String key, String secret) {
        return v2(
                key,
                secret,
                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(10)
                        .build());
    }

    private static AmazonSQS v1(String key, String secret, com.amazonaws.retry.RetryPolicy retries) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.toString(), Credentials.REGION))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(key, secret)))
                .withClientConfiguration(new ClientConfiguration().withRetryPolicy(retries))
                .build();
    }

    private static void setQuota(String account, String quota) {
        AdminHttp.Reply reply = admin.withToken(TOKEN, "PUT", "/admin/tenants/" + account + "/quota", quota);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static long throttled(String account, String limit) {
        AdminHttp.Reply usage = admin.withToken(TOKEN, "GET", "/admin/tenants/" + account + "/quota", null);
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        return usage.json().path("throttled").path(limit).asLong();
    }

    @Test
    void overItsQuotaATenantGetsRequestThrottledInBothProtocolsAndOthersAreServed() {
        setQuota(ACCOUNT_A, "{\"requestsPerSecond\":1,\"requestBurst\":2}");
        try (SqsClient a = v2NoRetry(KEY_A, SECRET_A);
                SqsClient b = v2NoRetry(KEY_B, SECRET_B)) {
            a.listQueues();
            a.listQueues();
            assertThatThrownBy(a::listQueues).isInstanceOfSatisfying(RequestThrottledException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestThrottled");
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.isThrottlingException())
                        .as("the SDK's own classification")
                        .isTrue();
                assertThat(e.awsErrorDetails().errorMessage())
                        .contains(ACCOUNT_A)
                        .contains("1 requests per second (burst 2)");
            });
            for (int i = 0; i < 20; i++) {
                b.listQueues();
            }
        }
        // The bucket may have refilled a token meanwhile: spend it, then the next call is refused.
        AmazonSQS v1 = v1(KEY_A, SECRET_A, PredefinedRetryPolicies.NO_RETRY_POLICY);
        AmazonServiceException refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            try {
                v1.listQueues();
            } catch (AmazonServiceException e) {
                refused = e;
            }
        }
        v1.shutdown();
        assertThat(refused).as("the query protocol's refusal").isNotNull();
        assertThat(refused.getErrorCode()).isEqualTo("RequestThrottled");
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(RetryUtils.isThrottlingException(refused)).isTrue();
        assertThat(throttled(ACCOUNT_A, "requests")).isGreaterThanOrEqualTo(2);
        assertThat(throttled(ACCOUNT_B, "requests")).isZero();
    }

    @Test
    void theSdksStandardRetryGetsThroughOnceTheBucketRefills() {
        setQuota(ACCOUNT_A, "{\"requestsPerSecond\":5,\"requestBurst\":1}");
        long before = throttled(ACCOUNT_A, "requests");
        try (SqsClient a = v2Standard(KEY_A, SECRET_A)) {
            String url = a.createQueue(r -> r.queueName("retried")).queueUrl();
            for (int i = 0; i < 8; i++) {
                String body = "m" + i;
                a.sendMessage(r -> r.queueUrl(url).messageBody(body));
            }
            assertThat(a.getQueueAttributes(r ->
                                    r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                            .attributes()
                            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .isEqualTo("8");
        }
        long afterV2 = throttled(ACCOUNT_A, "requests");
        assertThat(afterV2).as("requests were throttled and retried").isGreaterThan(before);
        AmazonSQS v1 = v1(KEY_A, SECRET_A, PredefinedRetryPolicies.getDefaultRetryPolicyWithCustomMaxRetries(10));
        for (int i = 0; i < 8; i++) {
            v1.listQueues();
        }
        v1.shutdown();
        assertThat(throttled(ACCOUNT_A, "requests")).isGreaterThan(afterV2);
    }

    @Test
    void quotasChangeLiveThroughTheAdminApi() {
        setQuota(ACCOUNT_C, "{\"requestsPerSecond\":1,\"requestBurst\":1}");
        try (SqsClient c = v2NoRetry(KEY_C, SECRET_C)) {
            c.listQueues();
            assertThatThrownBy(c::listQueues).isInstanceOf(RequestThrottledException.class);
            setQuota(ACCOUNT_C, "{\"requestsPerSecond\":10000}");
            for (int i = 0; i < 50; i++) {
                c.listQueues();
            }
            AdminHttp.Reply usage = admin.withToken(TOKEN, "GET", "/admin/tenants/" + ACCOUNT_C + "/quota", null);
            assertThat(usage.json().path("source").asText()).isEqualTo("tenant");
            assertThat(usage.json().path("requests").path("perSecond").asLong()).isEqualTo(10000);
            assertThat(usage.json().path("admittedRequests").asLong()).isEqualTo(50);

            assertThat(admin.withToken(TOKEN, "DELETE", "/admin/tenants/" + ACCOUNT_C + "/quota", null)
                            .status())
                    .isEqualTo(204);
            usage = admin.withToken(TOKEN, "GET", "/admin/tenants/" + ACCOUNT_C + "/quota", null);
            assertThat(usage.json().path("source").asText()).isEqualTo("default");
            assertThat(usage.json().path("requests").path("perSecond").asLong()).isEqualTo(1000);
            c.listQueues();
        }
        AdminHttp.Reply bad =
                admin.withToken(TOKEN, "PUT", "/admin/tenants/" + ACCOUNT_C + "/quota", "{\"requestBurst\":5}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("a burst needs its rate");
        assertThat(admin.withToken(TOKEN, "PUT", "/admin/tenants/" + ACCOUNT_C + "/quota", "{\"requestsPerSecond\":0}")
                        .status())
                .isEqualTo(400);
        AdminHttp.Reply created = admin.withToken(
                TOKEN,
                "POST",
                "/admin/tenants",
                "{\"accountId\":\"444444444444\",\"quota\":{\"requestsPerSecond\":7,\"bytesPerSecond\":65536}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("quota").path("requestsPerSecond").asLong())
                .isEqualTo(7);
        assertThat(created.json().path("quota").path("bytesBurst").asLong()).isEqualTo(65536);
    }

    @Test
    void aQueuesOwnRateLimitsThatQueueOnly() {
        setQuota(ACCOUNT_B, "{\"queues\":{\"slow\":{\"requestsPerSecond\":1,\"requestBurst\":2}}}");
        try (SqsClient b = v2NoRetry(KEY_B, SECRET_B)) {
            String slow = b.createQueue(r -> r.queueName("slow")).queueUrl();
            String fast = b.createQueue(r -> r.queueName("fast")).queueUrl();
            b.sendMessage(r -> r.queueUrl(slow).messageBody("1"));
            b.sendMessage(r -> r.queueUrl(slow).messageBody("2"));
            assertThatThrownBy(() -> b.sendMessage(r -> r.queueUrl(slow).messageBody("3")))
                    .isInstanceOfSatisfying(
                            RequestThrottledException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("queue slow"));
            for (int i = 0; i < 10; i++) {
                b.sendMessage(r -> r.queueUrl(fast).messageBody("ok"));
            }
        }
        assertThat(throttled(ACCOUNT_B, "queue")).isEqualTo(1);
        setQuota(ACCOUNT_B, "{}");
    }

    @Test
    void fifoQueuesTakeSqssThroughputPerAction() throws Exception {
        try (SqsClient b = v2NoRetry(KEY_B, SECRET_B)) {
            String url = b.createQueue(r -> r.queueName("limited.fifo")
                            .attributes(java.util.Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                    .queueUrl();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(pool.submit(() -> {
                    while (refused.get() == 0 && calls.incrementAndGet() <= 4000) {
                        try {
                            b.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(0));
                        } catch (RequestThrottledException e) {
                            refused.incrementAndGet();
                            messages.add(e.awsErrorDetails().errorMessage());
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(refused.get()).as("over 300 receives a second").isPositive();
            assertThat(messages.getFirst()).contains("300 ReceiveMessage calls per second");
            b.sendMessage(r -> r.queueUrl(url)
                            .messageBody("sends have their own limit")
                            .messageGroupId("g")
                            .messageDeduplicationId("d1"))
                    .messageId();
        }
    }

    @Test
    void aParkedLongPollHoldsNoQuota() throws Exception {
        setQuota(ACCOUNT_C, "{\"requestsPerSecond\":1,\"requestBurst\":1}");
        try (SqsClient c = v2NoRetry(KEY_C, SECRET_C)) {
            Thread.sleep(1100);
            String url = c.createQueue(r -> r.queueName("polled")).queueUrl();
            Thread.sleep(1100);
            CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(
                    () -> c.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5))
                            .messages()
                            .size());
            Thread.sleep(1500); // the poll is parked; one token has come back meanwhile
            c.sendMessage(r -> r.queueUrl(url).messageBody("wakes the poll"));
            assertThat(poll.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            setQuota(ACCOUNT_C, "{\"requestsPerSecond\":10000}");
        }
    }
}
