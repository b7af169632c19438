package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.SDKGlobalTime;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Two tenants on a server in the sigv4 auth mode, through the AWS SDK for Java v2 (JSON 1.0) and v1 (query): correct
 * keys work, bad credentials fail with AWS's codes, and tenant B cannot see, read, purge, delete or tag tenant A's
 * queue until A grants it, and then only what was granted.
 */
class TenantIsolationTest {
    private static final String ACCOUNT_A = "111111111111";
    private static final String KEY_A = "AKIDTENANTA";
    private static final String SECRET_A = "tenant-a/secret+1";
    private static final String ACCOUNT_B = "222222222222";
    private static final String KEY_B = "AKIDTENANTB";
    private static final String SECRET_B = "tenant-b-secret";

    private static SluiceProcess server;
    private static URI endpoint;

    @BeforeAll
    static void startSigV4Server() {
        String name = TenantIsolationTest.class.getSimpleName();
        server = SluiceServer.startOwn(
                name,
                List.of(
                        "-Dsluice.auth.mode=sigv4",
                        "-Dsluice.tenants=" + ACCOUNT_A + ":" + KEY_A + ":" + SECRET_A + "," + ACCOUNT_B + ":" + KEY_B
                                + ":" + SECRET_B));
        endpoint = server.endpoint();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SqsClient v2(AwsCredentialsProvider credentials) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static SqsClient v2(String keyId, String secret) {
        return v2(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)));
    }

    private static AmazonSQS v1(String keyId, String secret) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.toString(), Credentials.REGION))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(keyId, secret)))
                .withClientConfiguration(
                        new ClientConfiguration().withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY))
                .build();
    }

    private static void assertV2Error(ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    private static void assertV1Error(ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AmazonServiceException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(code);
            assertThat(e.getStatusCode()).isEqualTo(status);
        });
    }

    @Test
    void correctKeysWorkInBothSdks() {
        try (SqsClient a = v2(KEY_A, SECRET_A)) {
            String url = a.createQueue(b -> b.queueName("keys-ok")).queueUrl();
            assertThat(url).endsWith("/" + ACCOUNT_A + "/keys-ok");
            a.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            assertThat(v1(KEY_A, SECRET_A).receiveMessage(url).getMessages())
                    .extracting(m -> m.getBody())
                    .containsExactly("hello");
        }
        assertThat(v1(KEY_B, SECRET_B).createQueue("keys-ok").getQueueUrl()).endsWith("/" + ACCOUNT_B + "/keys-ok");
    }

    @Test
    void badCredentialsFailWithAwsCodes() {
        try (SqsClient wrongSecret = v2(KEY_A, "not-the-secret");
                SqsClient unknownKey = v2("AKIDUNKNOWN", SECRET_A);
                SqsClient unsigned = v2(AnonymousCredentialsProvider.create())) {
            assertV2Error(wrongSecret::listQueues, "SignatureDoesNotMatch", 403);
            assertV2Error(unknownKey::listQueues, "InvalidClientTokenId", 403);
            assertV2Error(unsigned::listQueues, "MissingAuthenticationToken", 403);
        }
        assertV1Error(() -> v1(KEY_A, "not-the-secret").listQueues(), "SignatureDoesNotMatch", 403);
        assertV1Error(() -> v1("AKIDUNKNOWN", SECRET_A).listQueues(), "InvalidClientTokenId", 403);
    }

    @Test
    void staleDateIsSignatureDoesNotMatch() {
        // SDK v1 signs with now - offset (taken when the client is built): 20 minutes ago, beyond SigV4's 15.
        SDKGlobalTime.setGlobalTimeOffset(20 * 60);
        try {
            AmazonSQS a = v1(KEY_A, SECRET_A);
            assertThatThrownBy(a::listQueues).isInstanceOfSatisfying(AmazonServiceException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e.getStatusCode()).isEqualTo(403);
                assertThat(e.getErrorMessage()).startsWith("Signature expired:");
            });
        } finally {
            SDKGlobalTime.setGlobalTimeOffset(0);
        }
    }

    @Test
    void tenantBCannotUseTenantAsQueueUntilGrantedAndThenOnlyWhatWasGranted() {
        try (SqsClient a = v2(KEY_A, SECRET_A);
                SqsClient b = v2(KEY_B, SECRET_B)) {
            String url = a.createQueue(r -> r.queueName("isolated")).queueUrl();
            a.sendMessage(r -> r.queueUrl(url).messageBody("a's secret"));
            AmazonSQS bV1 = v1(KEY_B, SECRET_B);

            assertThat(b.listQueues(r -> r.queueNamePrefix("isolated")).queueUrls())
                    .noneMatch(u -> u.contains(ACCOUNT_A));
            assertV2Error(
                    () -> b.getQueueUrl(r -> r.queueName("isolated").queueOwnerAWSAccountId(ACCOUNT_A)),
                    "AccessDenied",
                    403);
            assertBDenied(b, bV1, url, true);
            assertV2Error(
                    () -> b.sendMessage(r ->
                            r.queueUrl(url.replace("isolated", "no-such-queue")).messageBody("x")),
                    "AccessDenied",
                    403);

            a.addPermission(r ->
                    r.queueUrl(url).label("b-may-send").awsAccountIds(ACCOUNT_B).actions("SendMessage"));

            b.sendMessage(r -> r.queueUrl(url).messageBody("from b"));
            bV1.sendMessage(url, "from b over query");
            assertBDenied(b, bV1, url, false);
            assertThat(a.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                            .attributes()
                            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .isEqualTo("3");

            a.removePermission(r -> r.queueUrl(url).label("b-may-send"));
            assertV2Error(() -> b.sendMessage(r -> r.queueUrl(url).messageBody("x")), "AccessDenied", 403);
        }
    }

    @Test
    void aPolicyAttributeGrantsReceive() {
        try (SqsClient a = v2(KEY_A, SECRET_A);
                SqsClient b = v2(KEY_B, SECRET_B)) {
            String url = a.createQueue(r -> r.queueName("shared-by-policy")).queueUrl();
            a.sendMessage(r -> r.queueUrl(url).messageBody("for b"));
            String arn = "arn:aws:sqs:" + Credentials.REGION + ":" + ACCOUNT_A + ":shared-by-policy";
            a.setQueueAttributes(r -> r.queueUrl(url)
                    .attributes(Map.of(
                            QueueAttributeName.POLICY,
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                                    + "\"arn:aws:iam::" + ACCOUNT_B + ":root\"},\"Action\":[\"sqs:ReceiveMessage\","
                                    + "\"sqs:DeleteMessage\"],\"Resource\":\"" + arn + "\"}]}")));

            var received = b.receiveMessage(r -> r.queueUrl(url)).messages();
            assertThat(received).extracting(m -> m.body()).containsExactly("for b");
            b.deleteMessage(
                    r -> r.queueUrl(url).receiptHandle(received.getFirst().receiptHandle()));
            assertV2Error(() -> b.sendMessage(r -> r.queueUrl(url).messageBody("x")), "AccessDenied", 403);
            assertV2Error(() -> b.purgeQueue(r -> r.queueUrl(url)), "AccessDenied", 403);
        }
    }

    /** Everything but SendMessage is refused; SendMessage too unless {@code sendToo} is false. */
    private static void assertBDenied(SqsClient b, AmazonSQS bV1, String url, boolean sendToo) {
        if (sendToo) {
            assertV2Error(() -> b.sendMessage(r -> r.queueUrl(url).messageBody("x")), "AccessDenied", 403);
            assertV1Error(() -> bV1.sendMessage(url, "x"), "AccessDenied", 403);
        }
        assertV2Error(() -> b.receiveMessage(r -> r.queueUrl(url)), "AccessDenied", 403);
        assertV1Error(() -> bV1.receiveMessage(url), "AccessDenied", 403);
        assertV2Error(() -> b.purgeQueue(r -> r.queueUrl(url)), "AccessDenied", 403);
        assertV2Error(() -> b.deleteQueue(r -> r.queueUrl(url)), "AccessDenied", 403);
        assertV1Error(() -> bV1.deleteQueue(url), "AccessDenied", 403);
        assertV2Error(() -> b.tagQueue(r -> r.queueUrl(url).tags(Map.of("owner", "b"))), "AccessDenied", 403);
        assertV2Error(() -> b.getQueueAttributes(r -> r.queueUrl(url)), "AccessDenied", 403);
        assertV2Error(
                () -> b.setQueueAttributes(
                        r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "1"))),
                "AccessDenied",
                403);
    }
}
