package dev.sluice.compat.spring;

import java.util.Map;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the application's queues while the context starts, through the auto-configured SqsAsyncClient: bean
 * creation ends before the listener containers start (they are SmartLifecycle), so every listener finds its queue,
 * with the attributes set here, rather than one the framework would create bare.
 */
@Component
public class QueueProvisioning {
    public QueueProvisioning(SqsAsyncClient sqs, QueueNames queues) {
        create(sqs, queues.orders(), Map.of());
        create(sqs, queues.invoices(), Map.of());
        create(sqs, queues.reports(), Map.of());
        create(
                sqs,
                queues.shipments(),
                Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"));
        String dlqUrl = create(sqs, queues.paymentsDlq(), Map.of());
        String dlqArn = sqs.getQueueAttributes(
                        request -> request.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .join()
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        create(
                sqs,
                queues.payments(),
                Map.of(
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":2}".formatted(dlqArn)));
    }

    private static String create(SqsAsyncClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(request -> request.queueName(name).attributes(attributes))
                .join()
                .queueUrl();
    }
}
