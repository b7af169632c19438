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
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Regions through both Java SDKs in the sigv4 auth mode, where the region is the verified credential scope's: SDK v1
 * (query protocol; its QueueUrlHandler posts each queue action to the queue URL itself, so Sluice sees the region in
 * the request path) and SDK v2 (JSON 1.0, the URL in the body). Both sign for the region they are built with and send
 * to the endpoint override whatever the queue URL's host says.
 */
class RegionsTest {
    private static final String ACCOUNT = "111111111111";
    private static final String KEY = "AKIDREGIONS";
    private static final String SECRET = "regions-secret";
    private static final String OTHER_ACCOUNT = "222222222222";
    private static final String OTHER_KEY = "AKIDOTHER";
    private static final String OTHER_SECRET = "other-secret";
    private static final String TOKEN = "regions-admin-token";

    private static SluiceProcess server;
    private static URI endpoint;

    @BeforeAll
    static void startSigV4Server() {
        start(RegionsTest.class.getSimpleName(), List.of());
    }

    /** Starts the server of the tests with these options besides the sigv4 ones (a subclass's backend). */
    static void start(String name, List<String> backend) {
        List<String> options = new java.util.ArrayList<>(List.of(
                "-Dsluice.auth.mode=sigv4",
                "-Dsluice.region=us-east-1",
                "-Dsluice.admin.token=" + TOKEN,
                "-Dsluice.tenants=" + ACCOUNT + ":" + KEY + ":" + SECRET + "," + OTHER_ACCOUNT + ":" + OTHER_KEY + ":"
                        + OTHER_SECRET));
        options.addAll(backend);
        server = SluiceServer.startOwn(name, options);
        endpoint = server.endpoint();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SqsClient v2(String region, String key, String secret) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static SqsClient v2(String region) {
        return v2(region, KEY, SECRET);
    }

    private static AmazonSQS v1(String region) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new EndpointConfiguration(endpoint.toString(), region))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(KEY, SECRET)))
                .withClientConfiguration(
                        new ClientConfiguration().withRetryPolicy(PredefinedRetryPolicies.NO_RETRY_POLICY))
                .build();
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    @Test
    void sameNameInTwoRegionsThroughBothSdks() {
        SqsClient usV2 = v2("us-east-1");
        SqsClient euV2 = v2("eu-west-1");
        AmazonSQS usV1 = v1("us-east-1");
        AmazonSQS euV1 = v1("eu-west-1");

        String usUrl = usV1.createQueue("regional").getQueueUrl();
        String euUrl = euV1.createQueue("regional").getQueueUrl();
        assertThat(usUrl).isEqualTo(endpoint + "/" + ACCOUNT + "/regional");
        assertThat(euUrl).isEqualTo(endpoint + "/eu-west-1/" + ACCOUNT + "/regional");
        assertThat(euV2.getQueueUrl(b -> b.queueName("regional")).queueUrl()).isEqualTo(euUrl);
        assertThat(arn(usV2, usUrl)).isEqualTo("arn:aws:sqs:us-east-1:" + ACCOUNT + ":regional");
        assertThat(arn(euV2, euUrl)).isEqualTo("arn:aws:sqs:eu-west-1:" + ACCOUNT + ":regional");

        // v1 posts to the queue URL's path; v2 receives what v1 sent in the same region only.
        euV1.sendMessage(euUrl, "sent by v1 in eu-west-1");
        usV1.sendMessage(usUrl, "sent by v1 in us-east-1");
        assertThat(euV2.receiveMessage(b -> b.queueUrl(euUrl).maxNumberOfMessages(10))
                        .messages())
                .extracting(m -> m.body())
                .containsExactly("sent by v1 in eu-west-1");
        assertThat(usV2.receiveMessage(b -> b.queueUrl(usUrl).maxNumberOfMessages(10))
                        .messages())
                .extracting(m -> m.body())
                .containsExactly("sent by v1 in us-east-1");
        assertThat(euV1.listQueues("regional").getQueueUrls()).containsExactly(euUrl);
        assertThat(usV2.listQueues(b -> b.queueNamePrefix("regional")).queueUrls())
                .containsExactly(usUrl);
    }

    @Test
    void aUrlOfAnotherRegionIsNoQueueForEitherSdk() {
        String euUrl =
                v2("eu-west-1").createQueue(b -> b.queueName("wrong-region")).queueUrl();
        String usUrl =
                v2("us-east-1").createQueue(b -> b.queueName("wrong-region")).queueUrl();

        assertThatThrownBy(() -> v1("us-east-1").sendMessage(euUrl, "x"))
                .isInstanceOfSatisfying(
                        AmazonServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue"));
        assertThatThrownBy(
                        () -> v2("eu-west-1").sendMessage(b -> b.queueUrl(usUrl).messageBody("x")))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode())
                                .isEqualTo("AWS.SimpleQueueService.NonExistentQueue"));
        assertThat(v2("eu-west-1")
                        .getQueueAttributes(b -> b.queueUrl(euUrl).attributeNames(QueueAttributeName.ALL))
                        .attributes()
                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .isEqualTo("0");
    }

    @Test
    void aQueuePolicyGrantsByTheRegionalArn() {
        SqsClient euOwner = v2("eu-west-1");
        String euUrl = euOwner.createQueue(b -> b.queueName("shared")).queueUrl();
        String usUrl = v2("us-east-1").createQueue(b -> b.queueName("shared")).queueUrl();
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:%s:shared"}]}""".formatted(OTHER_ACCOUNT, ACCOUNT);
        euOwner.setQueueAttributes(b -> b.queueUrl(euUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));
        v2("us-east-1")
                .setQueueAttributes(b -> b.queueUrl(usUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));

        v2("eu-west-1", OTHER_KEY, OTHER_SECRET)
                .sendMessage(b -> b.queueUrl(euUrl).messageBody("granted"));
        // The same policy on the us-east-1 queue names the eu-west-1 ARN: it grants nothing there.
        assertThatThrownBy(() -> v2("us-east-1", OTHER_KEY, OTHER_SECRET)
                        .sendMessage(b -> b.queueUrl(usUrl).messageBody("not granted")))
                .isInstanceOfSatisfying(
                        AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
        assertThat(euOwner.receiveMessage(b -> b.queueUrl(euUrl)).messages())
                .extracting(m -> m.body())
                .containsExactly("granted");
    }

    @Test
    void theAdminApiNamesTheRegion() {
        String euUrl =
                v2("eu-west-1").createQueue(b -> b.queueName("admin-regional")).queueUrl();
        String usUrl =
                v2("us-east-1").createQueue(b -> b.queueName("admin-regional")).queueUrl();
        AdminHttp admin = new AdminHttp(endpoint);

        AdminHttp.Reply listed =
                admin.withToken(TOKEN, "GET", "/admin/queues?account=" + ACCOUNT + "&prefix=admin-", null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().path("queues").findValuesAsText("region")).containsExactly("eu-west-1", "us-east-1");
        assertThat(listed.json().path("queues").findValuesAsText("url")).containsExactly(euUrl, usUrl);

        String path = "/admin/queues/" + ACCOUNT + "/admin-regional";
        AdminHttp.Reply sent = admin.withToken(
                TOKEN, "POST", path + "/messages?region=eu-west-1", "{\"body\":\"from the admin API\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        AdminHttp.Reply eu = admin.withToken(TOKEN, "GET", path + "?region=eu-west-1", null);
        assertThat(eu.json().path("queue").path("arn").asText())
                .isEqualTo("arn:aws:sqs:eu-west-1:" + ACCOUNT + ":admin-regional");
        assertThat(eu.json().path("queue").path("visible").asInt()).isEqualTo(1);
        AdminHttp.Reply us = admin.withToken(TOKEN, "GET", path, null);
        assertThat(us.json().path("queue").path("url").asText()).isEqualTo(usUrl);
        assertThat(us.json().path("queue").path("visible").asInt()).isZero();
        assertThat(admin.withToken(TOKEN, "GET", path + "?region=mars", null).status())
                .isEqualTo(400);
        assertThat(v2("eu-west-1").receiveMessage(b -> b.queueUrl(euUrl)).messages())
                .extracting(m -> m.body())
                .containsExactly("from the admin API");
    }
}
