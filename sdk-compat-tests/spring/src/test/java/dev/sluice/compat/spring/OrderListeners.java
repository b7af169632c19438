package dev.sluice.compat.spring;

import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.SqsHeaders.MessageSystemAttributes;
import io.awspring.cloud.sqs.listener.acknowledgement.Acknowledgement;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * The application's consumers, one {@code @SqsListener} per way of consuming: acknowledged on success (the default),
 * acknowledged by hand, a FIFO queue, a listener that always fails, and the dead-letter queue its messages end in.
 */
@Component
public class OrderListeners {
    private final Deliveries deliveries;

    public OrderListeners(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @SqsListener("${queues.orders}")
    void orderPlaced(
            OrderPlaced order,
            @Header("tenant") String tenant,
            @Header("priority") int priority,
            @Header(MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT) String receiveCount) {
        deliveries.record(
                "orders",
                "%s x%d tenant=%s priority=%d receives=%s"
                        .formatted(order.orderId(), order.quantity(), tenant, priority, receiveCount));
    }

    /**
     * Acknowledges a message only on its second delivery: the first one comes back when its visibility ends. The
     * container sends acknowledgements in batches up to a second later, so the visibility timeout leaves room for that:
     * a delete that arrives after the message was received again carries a stale receipt handle and deletes nothing,
     * as on SQS.
     */
    @SqsListener(value = "${queues.invoices}", acknowledgementMode = "MANUAL", messageVisibilitySeconds = "5")
    void invoice(
            String invoice,
            Acknowledgement acknowledgement,
            @Header(MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT) int receiveCount) {
        deliveries.record("invoices", invoice + " receive " + receiveCount);
        if (receiveCount >= 2) {
            acknowledgement.acknowledge();
        }
    }

    /**
     * With a message visibility set, the container extends the visibility of the group's remaining messages
     * (ChangeMessageVisibilityBatch) before it hands each one over.
     */
    @SqsListener(value = "${queues.shipments}", messageVisibilitySeconds = "10")
    void shipment(String step, @Header(MessageSystemAttributes.SQS_MESSAGE_GROUP_ID_HEADER) String group) {
        deliveries.record("shipments", group + ": " + step);
    }

    @SqsListener(value = "${queues.payments}", messageVisibilitySeconds = "1")
    void payment(String payment) {
        deliveries.record("payments", payment);
        throw new IllegalStateException("card declined for " + payment);
    }

    @SqsListener("${queues.payments-dlq}")
    void deadPayment(String payment) {
        deliveries.record("payments-dlq", payment);
    }
}
