package dev.sluice.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Calls to Sluice's admin API over plain HTTP: with the admin token as a bearer token, or signed with SigV4 by a
 * tenant's key (the AWS SDK's own signer), optionally from another loopback address (127.0.0.x) so per-address limits
 * can be tested without touching the others.
 */
final class AdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;

    AdminHttp(URI endpoint) {
        this(endpoint, null);
    }

    /** A client whose connections come from {@code localAddress} (any 127.x.y.z reaches the server on 127.0.0.1). */
    AdminHttp(URI endpoint, InetAddress localAddress) {
        this.endpoint = endpoint;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (localAddress != null) {
            builder.localAddress(localAddress);
        }
        this.http = builder.build();
    }

    /** A reply: its status, body and the JSON in it (null when the body is not JSON). */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply withToken(String token, String method, String path, String body) {
        HttpRequest.Builder request = request(method, path, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** A request signed with SigV4 (service sqs) by the key, as any AWS signer would sign it. */
    @SuppressWarnings("deprecation")
    Reply signed(String keyId, String secret, String method, String path, String body) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(endpoint.resolve(path));
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json")
                    .contentStreamProvider(RequestBody.fromString(body).contentStreamProvider());
        }
        SdkHttpFullRequest signed = Aws4Signer.create()
                .sign(
                        unsigned.build(),
                        Aws4SignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(keyId, secret))
                                .signingName("sqs")
                                .signingRegion(Region.of(Credentials.REGION))
                                .build());
        HttpRequest.Builder request = request(method, path, body);
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return send(request);
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
