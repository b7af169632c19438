package dev.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The sigv4 auth mode under attack (issue 16, items 1, 4, 6, 7, 8, 9 and 12): unauthenticated bodies refused from
 * the headers, presigned URLs that never expire, unsigned headers, malformed regions, the message limit raced by
 * concurrent batches, the default queue limit, a deleted tenant's account id reused, a RedrivePolicy that probes
 * other tenants' queues. The admin token comes from a file, so it appears on no command line.
 */
class SigV4HardeningTest {
    private static final String ACCOUNT_A = "111111111111";
    private static final String KEY_A = "AKIDHARDENA";
    private static final String SECRET_A = "secret-a";
    private static final String ACCOUNT_B = "222222222222";
    private static final String KEY_B = "AKIDHARDENB";
    private static final String SECRET_B = "secret-b";
    private static final String ADMIN_TOKEN = "admin-token-from-a-file";
    private static final int DEFAULT_MAX_QUEUES = 5;
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static Target server;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws IOException {
        Path token = Files.createTempFile(Files.createDirectories(Path.of("target")), "admin-token", "");
        Files.writeString(token, ADMIN_TOKEN + "\n");
        server = Target.start(
                SigV4HardeningTest.class,
                List.of(
                        "-Dsluice.durability=memory",
                        "-Dsluice.auth.mode=sigv4",
                        "-Dsluice.auth.default-max-queues=" + DEFAULT_MAX_QUEUES,
                        "-Dsluice.admin.token-file=" + token.toAbsolutePath(),
                        "-Dsluice.tenants=" + ACCOUNT_A + ":" + KEY_A + ":" + SECRET_A + "," + ACCOUNT_B + ":" + KEY_B
                                + ":" + SECRET_B));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SqsClient client(String keyId, String secret) {
        return Clients.v2(server.endpoint(), keyId, secret, Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> admin(String method, String path, String json) {
        return send(HttpRequest.newBuilder(server.endpoint().resolve(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(json == null ? "" : json))
                .build());
    }

    /** A new tenant and key through the admin API; returns {accessKeyId, secretAccessKey}. */
    private static String[] newTenant(String accountId, String limits) {
        HttpResponse<String> created =
                admin("POST", "/admin/tenants", "{\"accountId\":\"" + accountId + "\"" + limits + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key =
                admin("POST", "/admin/tenants/" + accountId + "/keys", null).body();
        return new String[] {field(key, "accessKeyId"), field(key, "secretAccessKey")};
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(value.find()).as("%s in %s", name, json).isTrue();
        return value.group(1);
    }

    // ---- item 1: refused from the headers, before any of the body

    private static RawHttp declareEightMiBSignedBy(String keyId, Instant date) {
        String day = AMZ_DATE.format(date).substring(0, 8);
        return RawHttp.connect(server.endpoint())
                .write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "X-Amz-Target: AmazonSQS.SendMessage\r\nx-amzn-query-mode: true\r\n"
                        + "X-Amz-Date: " + AMZ_DATE.format(date) + "\r\n"
                        + "Authorization: AWS4-HMAC-SHA256 Credential=" + keyId + "/" + day
                        + "/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature="
                        + "0".repeat(64) + "\r\nContent-Length: 8388608\r\n\r\n");
    }

    @Test
    void anUnknownKeyOrAStaleDateIsRefusedFromTheHeadersWithoutReadingTheBody() {
        long oldGenBefore = server.oldGenBytes();
        List<RawHttp> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                sockets.add(declareEightMiBSignedBy("AKIDUNKNOWN" + i, Instant.now()));
            }
            for (RawHttp socket : sockets) {
                assertThat(socket.read(Duration.ofSeconds(5)))
                        .startsWith("HTTP/1.1 403")
                        .contains("x-amzn-query-error: InvalidClientTokenId;Sender");
            }
        } finally {
            sockets.forEach(RawHttp::close);
        }
        try (RawHttp stale = declareEightMiBSignedBy(KEY_A, Instant.now().minus(Duration.ofHours(1)))) {
            assertThat(stale.read(Duration.ofSeconds(5)))
                    .startsWith("HTTP/1.1 403")
                    .contains("SignatureDoesNotMatch")
                    .contains("Signature expired");
        }
        assertThat(server.bodyBytes()).isZero();
        assertThat(server.oldGenBytes() - oldGenBefore).isLessThan(64L * 1024 * 1024);
    }

    // ---- item 4: presigned URLs expire

    @SuppressWarnings("deprecation")
    private static URI presigned(String path, Duration expires) {
        SdkHttpFullRequest presigned = Aws4Signer.create()
                .presign(
                        SdkHttpFullRequest.builder()
                                .method(SdkHttpMethod.GET)
                                .uri(server.endpoint().resolve(path))
                                .putRawQueryParameter("Action", "ListQueues")
                                .build(),
                        Aws4PresignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(KEY_A, SECRET_A))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .expirationTime(Instant.now().plus(expires))
                                .build());
        return presigned.getUri();
    }

    @Test
    void aPresignedUrlWithoutXAmzExpiresOrBeyondSevenDaysIsRefused() {
        URI valid = presigned("/", Duration.ofMinutes(5));
        assertThat(send(HttpRequest.newBuilder(valid).build()).statusCode()).isEqualTo(200);

        String query = valid.getRawQuery();
        URI withoutExpires = valid.resolve("/?" + query.replaceAll("&?X-Amz-Expires=\\d+", ""));
        URI eightDays = valid.resolve("/?" + query.replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=691200"));

        for (URI refused : List.of(withoutExpires, eightDays)) {
            HttpResponse<String> reply = send(HttpRequest.newBuilder(refused).build());
            assertThat(reply.statusCode()).as(refused.toString()).isEqualTo(400);
            assertThat(reply.body())
                    .contains("<Code>IncompleteSignature</Code>")
                    .contains("X-Amz-Expires");
        }
    }

    // ---- item 7: what must be signed, and the region's form

    @Test
    @SuppressWarnings("deprecation")
    void anUnsignedXAmzTargetCannotTurnASignedSendIntoADeleteQueue() {
        String url;
        try (SqsClient a = client(KEY_A, SECRET_A)) {
            url = a.createQueue(b -> b.queueName("replayed")).queueUrl();
        }
        String form = "Action=SendMessage&QueueUrl=" + url + "&MessageBody=hello";
        SdkHttpFullRequest signed = Aws4Signer.create()
                .sign(
                        SdkHttpFullRequest.builder()
                                .method(SdkHttpMethod.POST)
                                .uri(URI.create(url))
                                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                                .contentStreamProvider(
                                        RequestBody.fromString(form).contentStreamProvider())
                                .build(),
                        Aws4SignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(KEY_A, SECRET_A))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .signingClockOverride(Clock.systemUTC())
                                .build());
        HttpRequest.Builder replay = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("X-Amz-Target", "AmazonSQS.DeleteQueue");
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> replay.header(name, value));
            }
        });

        HttpResponse<String> reply = send(replay.build());

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.headers().firstValue("x-amzn-query-error"))
                .hasValueSatisfying(code -> assertThat(code).startsWith("IncompleteSignature"));
        assertThat(reply.body()).contains("not signed: x-amz-target");
        try (SqsClient a = client(KEY_A, SECRET_A)) {
            assertThat(a.getQueueUrl(b -> b.queueName("replayed")).queueUrl()).isEqualTo(url);
        }
    }

    @Test
    void aCredentialScopeWithAMalformedRegionIsSignatureDoesNotMatch() {
        try (SqsClient local = Clients.v2(server.endpoint(), KEY_A, SECRET_A, "elasticmq", Duration.ofSeconds(10))) {
            assertThatThrownBy(local::listQueues).isInstanceOfSatisfying(AwsServiceException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e.awsErrorDetails().errorMessage()).contains("valid region");
            });
        }
    }

    // ---- item 8: the message limit holds under concurrent batches

    @Test
    void thirtyConcurrentBatchesAgainstALimitOfTwentyStoreAtMostTwenty() throws Exception {
        String[] key = newTenant("333333333333", ",\"maxMessages\":20");
        try (SqsClient c = client(key[0], key[1])) {
            String url = c.createQueue(b -> b.queueName("limited")).queueUrl();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> batches = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(30)) {
                for (int i = 0; i < 30; i++) {
                    int batch = i;
                    batches.add(pool.submit(() -> {
                        go.await();
                        try {
                            c.sendMessageBatch(b -> b.queueUrl(url)
                                    .entries(IntStream.range(0, 2)
                                            .mapToObj(e -> SendMessageBatchRequestEntry.builder()
                                                    .id("e" + e)
                                                    .messageBody("batch " + batch + " entry " + e)
                                                    .build())
                                            .toList()));
                            return true;
                        } catch (AwsServiceException e) {
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("OverLimit");
                            return false;
                        }
                    }));
                }
                go.countDown();
                long accepted = 0;
                for (Future<Boolean> batch : batches) {
                    accepted += batch.get() ? 1 : 0;
                }
                assertThat(accepted).isEqualTo(10);
            }
            String stored = c.getQueueAttributes(
                            b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            assertThat(stored).isEqualTo("20");
        }
    }

    // ---- item 12: a default limit on queues per tenant

    @Test
    void aTenantWithoutALimitOfItsOwnOwnsAtMostTheDefaultNumberOfQueues() {
        String[] key = newTenant("555555555555", "");
        try (SqsClient tenant = client(key[0], key[1])) {
            for (int i = 0; i < DEFAULT_MAX_QUEUES; i++) {
                String name = "default-limit-" + i;
                tenant.createQueue(r -> r.queueName(name));
            }
            assertThatThrownBy(() -> tenant.createQueue(r -> r.queueName("one-too-many")))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("OverLimit");
                    });
        }
    }

    // ---- item 6: a deleted tenant's account id comes back empty

    @Test
    void deletingATenantDeletesItsQueuesSoItsAccountIdComesBackEmpty() {
        String account = "444444444444";
        String[] old = newTenant(account, "");
        try (SqsClient owner = client(old[0], old[1])) {
            String url = owner.createQueue(b -> b.queueName("payroll")).queueUrl();
            owner.sendMessage(b -> b.queueUrl(url).messageBody("salary data"));
        }

        assertThat(admin("DELETE", "/admin/tenants/" + account, null).statusCode())
                .isEqualTo(204);

        try (SqsClient gone = client(old[0], old[1])) {
            assertThatThrownBy(gone::listQueues)
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
        String[] fresh = newTenant(account, "");
        try (SqsClient newOwner = client(fresh[0], fresh[1])) {
            assertThat(newOwner.listQueues().queueUrls()).isEmpty();
            assertThatThrownBy(() -> newOwner.getQueueUrl(b -> b.queueName("payroll")))
                    .isInstanceOfSatisfying(
                            AwsServiceException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode())
                                    .isEqualTo("AWS.SimpleQueueService.NonExistentQueue"));
        }
    }

    // ---- item 9: a RedrivePolicy learns nothing about another tenant's queues

    @Test
    void aRedrivePolicyGetsTheSameAnswerForAnotherTenantsExistingAndMissingQueue() {
        try (SqsClient b = client(KEY_B, SECRET_B)) {
            b.createQueue(r -> r.queueName("b-dlq"));
        }
        try (SqsClient a = client(KEY_A, SECRET_A)) {
            String url = a.createQueue(r -> r.queueName("a-source")).queueUrl();
            String existing = redriveError(a, url, "b-dlq");
            String missing = redriveError(a, url, "b-none");

            assertThat(existing.replace("b-dlq", "NAME")).isEqualTo(missing.replace("b-none", "NAME"));
        }
    }

    private static String redriveError(SqsClient a, String url, String targetName) {
        String policy = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + ACCOUNT_B + ":" + targetName
                + "\",\"maxReceiveCount\":3}";
        try {
            a.setQueueAttributes(r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy)));
        } catch (AwsServiceException e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode() + " "
                    + e.awsErrorDetails().errorMessage();
        }
        throw new AssertionError("a RedrivePolicy into another account was accepted");
    }

    // ---- item 12: secrets from files

    @Test
    void theAdminTokenFromAFileWorksAndAppearsOnNoCommandLine() {
        assertThat(admin("GET", "/admin/tenants", null).statusCode()).isEqualTo(200);
        String commandLine = server.log().lines().findFirst().orElseThrow();
        assertThat(commandLine).startsWith("$ ").doesNotContain(ADMIN_TOKEN);
    }
}
