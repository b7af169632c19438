package dev.sluice.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * A JMH-free measurement of what verification costs per request: one SendMessage as SDK v2 signs it (JSON 1.0, a
 * 200-byte body), verified N times in a loop, three runs after a warm-up; prints ns/op of each run and the median.
 * Run by hand: {@code java -cp target/classes:target/test-classes:<test class path> dev.sluice.auth.SigV4VerifierCost}.
 */
public final class SigV4VerifierCost {
    private SigV4VerifierCost() {}

    @SuppressWarnings("deprecation")
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        AccessKey key = new AccessKey("AKIAEXAMPLEKEY000001", "x".repeat(40), "111111111111", true, now);
        String body = "{\"QueueUrl\":\"http://localhost:9324/111111111111/orders\",\"MessageBody\":\"" + "m".repeat(120)
                + "\"}";
        SdkHttpFullRequest signed = Aws4Signer.create()
                .sign(
                        SdkHttpFullRequest.builder()
                                .method(SdkHttpMethod.POST)
                                .uri(URI.create("http://localhost:9324/"))
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("X-Amz-Target", "AmazonSQS.SendMessage")
                                .putHeader("x-amzn-query-mode", "true")
                                .contentStreamProvider(
                                        RequestBody.fromString(body).contentStreamProvider())
                                .build(),
                        Aws4SignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(key.accessKeyId(), key.secret()))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .signingClockOverride(Clock.fixed(now, ZoneOffset.UTC))
                                .build());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        headers.put("user-agent", List.of("aws-sdk-java/2.59.1 md/io#sync ua/2.1 os/Linux lang/java#25"));
        headers.put("content-length", List.of(String.valueOf(body.length())));
        var request = new SigV4Verifier.Request("POST", "/", "", headers, body.getBytes(StandardCharsets.UTF_8));
        var verifier = new SigV4Verifier(id -> Optional.of(key), InstantSource.fixed(now), "sqs", false);

        run(verifier, request, n);
        double[] nsPerOp = new double[3];
        for (int i = 0; i < 3; i++) {
            nsPerOp[i] = run(verifier, request, n);
            System.out.printf("run %d: %.0f ns/op%n", i + 1, nsPerOp[i]);
        }
        Arrays.sort(nsPerOp);
        System.out.printf("median of 3 runs of %d verifications: %.0f ns/op%n", n, nsPerOp[1]);
    }

    private static double run(SigV4Verifier verifier, SigV4Verifier.Request request, int n) {
        long started = System.nanoTime();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (verifier.verify(request) != null) {
                ok++;
            }
        }
        long elapsed = System.nanoTime() - started;
        if (ok != n) {
            throw new IllegalStateException("only " + ok + " of " + n + " verified");
        }
        return (double) elapsed / n;
    }
}
