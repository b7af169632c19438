package dev.sluice.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Sends SQS requests over raw HTTP, signed by the AWS SDK's SigV4 signer, so tests control every byte (and can tamper
 * with them after signing). The JDK client sends exactly the headers given, and the Host the signer used.
 */
final class SignedClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Upgrades to HTTP/2 (h2c), where the host travels as :authority. */
    static final HttpClient HTTP2 =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

    private final URI base;
    private final String keyId;
    private final String secret;
    private Clock clock = Clock.systemUTC();
    private HttpClient http = HTTP;

    SignedClient(URI base, String keyId, String secret) {
        this.base = base;
        this.keyId = keyId;
        this.secret = secret;
    }

    SignedClient over(HttpClient value) {
        http = value;
        return this;
    }

    /** A GET of the path with the query parameters, presigned for {@code expiresIn}: no Authorization header. */
    @SuppressWarnings("deprecation")
    HttpResponse<String> presignedGet(String path, Map<String, String> parameters, java.time.Duration expiresIn) {
        SdkHttpFullRequest.Builder request =
                SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(base.resolve(path));
        parameters.forEach(request::putRawQueryParameter);
        SdkHttpFullRequest presigned = Aws4Signer.create()
                .presign(
                        request.build(),
                        software.amazon.awssdk.auth.signer.params.Aws4PresignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(keyId, secret))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .signingClockOverride(clock)
                                .expirationTime(clock.instant().plus(expiresIn))
                                .build());
        try {
            return http.send(
                    HttpRequest.newBuilder(presigned.getUri()).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    SignedClient at(Clock value) {
        clock = value;
        return this;
    }

    /** A JSON 1.0 call. */
    HttpResponse<String> json(String action, String body) {
        return send(
                "/",
                Map.of(
                        "Content-Type", "application/x-amz-json-1.0",
                        "X-Amz-Target", "AmazonSQS." + action,
                        "x-amzn-query-mode", "true"),
                body,
                null);
    }

    /** A query-protocol call: the form body, e.g. "Action=ListQueues". */
    HttpResponse<String> query(String form) {
        return send("/", Map.of("Content-Type", "application/x-www-form-urlencoded"), form, null);
    }

    /** Signs the request for {@code body} but sends {@code sentBody} (when not null) in its place. */
    @SuppressWarnings("deprecation")
    HttpResponse<String> send(String path, Map<String, String> headers, String body, String sentBody) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(base.resolve(path))
                .contentStreamProvider(RequestBody.fromString(body).contentStreamProvider());
        headers.forEach(request::putHeader);
        SdkHttpFullRequest signed = keyId == null
                ? request.build()
                : Aws4Signer.create()
                        .sign(
                                request.build(),
                                Aws4SignerParams.builder()
                                        .awsCredentials(AwsBasicCredentials.create(keyId, secret))
                                        .signingName("sqs")
                                        .signingRegion(Region.US_EAST_1)
                                        .signingClockOverride(clock)
                                        .build());
        HttpRequest.Builder http = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(sentBody != null ? sentBody : body, StandardCharsets.UTF_8));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> http.header(name, value));
            }
        });
        try {
            return this.http.send(http.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A call to the admin API. */
    static HttpResponse<String> admin(URI base, String token, String method, String path, String body) {
        HttpRequest.Builder http = HttpRequest.newBuilder(base.resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            http.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            http.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
