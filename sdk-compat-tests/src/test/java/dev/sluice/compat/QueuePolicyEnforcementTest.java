package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.retry.PredefinedRetryPolicies;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Queue policies enforced on cross-account requests, through the AWS SDKs signing with SigV4 against the packaged
 * server: conditions on the request's source address, transport, time and account, the Not* elements, policies that
 * must not be slow to evaluate, and the policies SetQueueAttributes and CreateQueue refuse. Tenant A owns the queues;
 * B and C use them as the policy lets them.
 */
class QueuePolicyEnforcementTest {
    private static final String ACCOUNT_A = "111111111111";
    private static final String ACCOUNT_B = "222222222222";
    private static final String ACCOUNT_C = "333333333333";
    private static final String[][] KEYS = {
        {ACCOUNT_A, "AKIDPOLICYA", "policy-secret-a"},
        {ACCOUNT_B, "AKIDPOLICYB", "policy-secret-b"},
        {ACCOUNT_C, "AKIDPOLICYC", "policy-secret-c"}
    };

    private static SluiceProcess server;
    private static SqsClient a;
    private static SqsClient b;
    private static SqsClient c;

    @BeforeAll
    static void startSigV4Server() {
        String name = QueuePolicyEnforcementTest.class.getSimpleName();
        StringBuilder tenants = new StringBuilder();
        for (String[] key : KEYS) {
            tenants.append(tenants.isEmpty() ? "" : ",").append(String.join(":", key));
        }
        server = SluiceServer.startOwn(name, List.of("-Dsluice.auth.mode=sigv4", "-Dsluice.tenants=" + tenants));
        a = v2(KEYS[0]);
        b = v2(KEYS[1]);
        c = v2(KEYS[2]);
    }

    @AfterAll
    static void stop() {
        for (SqsClient client : new SqsClient[] {a, b, c}) {
            if (client != null) {
                client.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private static SqsClient v2(String[] key) {
        return SqsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key[1], key[2])))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static AmazonSQS v1(String[] key) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(
                        new EndpointConfiguration(server.endpoint().toString(), Credentials.REGION))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(key[1], key[2])))
                .withClientConfiguration(
                        new ClientConfiguration().withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY))
                .build();
    }

    /** A queue of A's with the policy set on it; returns its URL. */
    private static String queueWithPolicy(String name, String... statements) {
        String url = a.createQueue(r -> r.queueName(name)).queueUrl();
        setStatements(url, name, statements);
        return url;
    }

    /** Sets the policy of the statements on A's queue. */
    private static void setStatements(String url, String name, String... statements) {
        setPolicy(url, policy(name, statements));
    }

    private static void setPolicy(String url, String policy) {
        a.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, policy)));
    }

    /** A policy document whose statements name {@code RESOURCE} for the queue's ARN. */
    private static String policy(String queueName, String... statements) {
        String arn = "arn:aws:sqs:" + Credentials.REGION + ":" + ACCOUNT_A + ":" + queueName;
        return ("{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}")
                .replace("RESOURCE", arn);
    }

    private static String statement(String effect, String principal, String action, String condition) {
        return "{\"Effect\":\"" + effect + "\"," + principal + "," + action + ",\"Resource\":\"RESOURCE\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static String principal(String account) {
        return "\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"}";
    }

    private static final String ANYONE = "\"Principal\":\"*\"";
    private static final String ALL_SQS = "\"Action\":\"sqs:*\"";
    private static final String SEND = "\"Action\":\"sqs:SendMessage\"";

    private static void send(SqsClient client, String url) {
        client.sendMessage(r -> r.queueUrl(url).messageBody("from a policy test"));
    }

    private static void assertDenied(ThrowingCallable call) {
        assertError(call, "AccessDenied", 403);
    }

    private static void assertError(ThrowingCallable call, String code, int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }

    @Test
    void aSourceIpConditionGrantsOnlyFromItsRange() {
        String url = queueWithPolicy(
                "policy-source-ip",
                statement("Allow", principal(ACCOUNT_B), SEND, "{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}"));

        send(b, url);
        v1(KEYS[1]).sendMessage(url, "from b over the v1 SDK");
        assertDenied(() -> send(c, url));

        setStatements(
                url,
                "policy-source-ip",
                statement(
                        "Allow",
                        principal(ACCOUNT_B),
                        SEND,
                        "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"::1/128\"]}}"));
        assertDenied(() -> send(b, url));

        setStatements(
                url,
                "policy-source-ip",
                statement("Allow", principal(ACCOUNT_B), SEND, "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
        send(b, url);
    }

    @Test
    void aDenyWithNotPrincipalLeavesOnlyTheNamedAccount() {
        String url = queueWithPolicy(
                "policy-not-principal",
                statement("Allow", ANYONE, ALL_SQS, null),
                statement("Deny", "\"NotPrincipal\":{\"AWS\":\"" + ACCOUNT_B + "\"}", ALL_SQS, null));

        send(b, url);
        assertThat(b.receiveMessage(r -> r.queueUrl(url)).messages()).hasSize(1);
        assertDenied(() -> send(c, url));
        assertDenied(() -> c.receiveMessage(r -> r.queueUrl(url)));
        assertDenied(() -> c.purgeQueue(r -> r.queueUrl(url)));
        assertThatThrownBy(() -> v1(KEYS[2]).sendMessage(url, "x"))
                .isInstanceOfSatisfying(
                        AmazonServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AccessDenied"));
    }

    @Test
    void aDenyWithNotActionLeavesOnlyTheNamedActions() {
        String url = queueWithPolicy(
                "policy-not-action",
                statement("Allow", principal(ACCOUNT_B), ALL_SQS, null),
                statement("Deny", ANYONE, "\"NotAction\":[\"sqs:SendMessage\",\"sqs:GetQueueUrl\"]", null));

        send(b, url);
        b.sendMessageBatch(r -> r.queueUrl(url).entries(e -> e.id("1").messageBody("batched")));
        assertThat(b.getQueueUrl(r -> r.queueName("policy-not-action").queueOwnerAWSAccountId(ACCOUNT_A))
                        .queueUrl())
                .isEqualTo(url);
        assertDenied(() -> b.receiveMessage(r -> r.queueUrl(url)));
        assertDenied(() -> b.purgeQueue(r -> r.queueUrl(url)));
        assertDenied(() -> b.getQueueAttributes(r -> r.queueUrl(url)));
    }

    @Test
    void conditionsOnTransportTimeAndAccount() {
        String url = queueWithPolicy(
                "policy-conditions",
                statement(
                        "Allow",
                        ANYONE,
                        SEND,
                        "{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + ACCOUNT_B + "\"},"
                                + "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"},"
                                + "\"ArnEqualsIfExists\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:"
                                + ACCOUNT_A + ":topic\"}}"));
        send(b, url);
        assertDenied(() -> send(c, url));

        setStatements(
                url,
                "policy-conditions",
                statement("Allow", ANYONE, SEND, null),
                statement("Deny", ANYONE, SEND, "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
        assertDenied(() -> send(b, url));

        setStatements(
                url,
                "policy-conditions",
                statement("Allow", ANYONE, SEND, "{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}"));
        assertDenied(() -> send(b, url));

        setStatements(
                url,
                "policy-conditions",
                statement(
                        "Allow",
                        ANYONE,
                        SEND,
                        "{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:us-east-1:" + ACCOUNT_A + ":topic\"}}"));
        assertDenied(() -> send(b, url));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPolicyFullOfWildcardsIsEvaluatedAtOnce() {
        // Issue 16: as a regular expression, this Resource against this name took 24.5 s per request.
        String name = "a".repeat(80);
        String url = queueWithPolicy(
                name,
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"arn:aws:sqs:*a*a*a*a*a*a*X\"}");
        for (int i = 0; i < 10; i++) {
            assertDenied(() -> send(b, url));
        }

        setStatements(
                url,
                name,
                "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
                        + "\"Resource\":\"arn:aws:sqs:*:*:*a*a*a*a*a*a*a\"}");
        for (int i = 0; i < 10; i++) {
            send(b, url);
        }
    }

    @Test
    void policiesSluiceWouldNotEvaluateAsAwsAreRefused() {
        String name = "policy-refused";
        String url = queueWithPolicy(name, statement("Allow", principal(ACCOUNT_B), SEND, null));
        String stored = a.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.POLICY))
                .attributes()
                .get(QueueAttributeName.POLICY);
        String allowB = statement("Allow", principal(ACCOUNT_B), SEND, null);

        for (String refused : new String[] {
            policy(name, statement("Allow", ANYONE, SEND, "{\"StringMatches\":{\"aws:SourceIp\":\"x\"}}")),
            policy(name, statement("Allow", ANYONE, SEND, "{\"StringEquals\":{\"aws:username\":\"b\"}}")),
            policy(name, Collections.nCopies(21, allowB).toArray(String[]::new)),
            policy(name, allowB).replace("{\"Version\"", "{\"Id\":\"" + "x".repeat(8_192) + "\",\"Version\"")
        }) {
            assertError(
                    () -> a.setQueueAttributes(
                            r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY, refused))),
                    "InvalidAttributeValue",
                    400);
            assertThatThrownBy(() -> v1(KEYS[0]).setQueueAttributes(url, Map.of("Policy", refused)))
                    .isInstanceOfSatisfying(AmazonServiceException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo("InvalidAttributeValue");
                        assertThat(e.getErrorMessage()).startsWith("Invalid value for the parameter Policy.");
                    });
            assertError(
                    () -> a.createQueue(
                            r -> r.queueName(name + "-new").attributes(Map.of(QueueAttributeName.POLICY, refused))),
                    "InvalidAttributeValue",
                    400);
        }
        assertThat(a.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.POLICY))
                        .attributes()
                        .get(QueueAttributeName.POLICY))
                .isEqualTo(stored);
        assertThat(a.listQueues(r -> r.queueNamePrefix(name + "-new")).queueUrls())
                .isEmpty();
        send(b, url);
    }
}
