package dev.sluice.security;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** AWS SDK for Java v2 clients (JSON 1.0) as the legitimate users of an attacked server have them. */
final class Clients {
    static final String REGION = "us-east-1";

    private Clients() {}

    /** A client that does not retry, so every refusal is seen as it was sent, and that gives up after {@code limit}. */
    static SqsClient v2(URI endpoint, String keyId, String secret, Duration limit) {
        return v2(endpoint, keyId, secret, REGION, limit);
    }

    static SqsClient v2(URI endpoint, String keyId, String secret, String region, Duration limit) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(limit))
                .build();
    }

    /** An open-mode client of the default account. */
    static SqsClient v2(URI endpoint, Duration limit) {
        return v2(endpoint, "AKIAIOSFODNN7EXAMPLE", "secret", limit);
    }
}
