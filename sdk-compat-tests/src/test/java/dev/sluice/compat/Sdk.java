package dev.sluice.compat;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An AWS SDK for Java v2 client (JSON 1.0) of a Sluice endpoint, with the given keys and no retries. */
final class Sdk {
    private Sdk() {}

    static SqsClient v2(URI endpoint, String keyId, String secret) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(Credentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Creates the queue, and returns the RedrivePolicy that makes it the dead-letter queue after maxReceiveCount. */
    static String deadLetterQueue(SqsClient sqs, String name, int maxReceiveCount) {
        return redrivePolicy(sqs, sqs.createQueue(r -> r.queueName(name)).queueUrl(), maxReceiveCount);
    }

    /** A RedrivePolicy naming the existing queue at {@code dlqUrl}. */
    static String redrivePolicy(SqsClient sqs, String dlqUrl, int maxReceiveCount) {
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        return "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    static SqsClient v2(URI endpoint) {
        return v2(endpoint, Credentials.ACCESS_KEY_ID, Credentials.SECRET_ACCESS_KEY);
    }
}
