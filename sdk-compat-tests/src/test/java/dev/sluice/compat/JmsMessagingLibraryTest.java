package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.sqs.javamessaging.ProviderConfiguration;
import com.amazon.sqs.javamessaging.SQSConnection;
import com.amazon.sqs.javamessaging.SQSConnectionFactory;
import com.amazon.sqs.javamessaging.SQSSession;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Amazon SQS Java Messaging Library (JMS 3, {@code amazon-sqs-java-messaging-lib} 2.1.4 on SDK v2, JSON 1.0)
 * against Sluice: producers and consumers in non-transacted sessions (SQS has no transactions), client, auto and
 * unordered acknowledgement, {@code recover()} and a dead-letter queue, FIFO message groups.
 *
 * <p>Consumers run with no prefetch, and a test calls {@code receive(timeout)} only when a message is due: the
 * library long-polls for 20 s behind every receive, and closing a consumer waits for a poll still running.
 */
@ExtendWith(SluiceServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmsMessagingLibraryTest {
    private static final long RECEIVE_TIMEOUT_MS = 10_000;

    private SdkV2Port sqs;
    private SQSConnection connection;

    @BeforeAll
    void connect(URI endpoint) throws JMSException {
        sqs = new SdkV2Port(endpoint);
        var factory =
                new SQSConnectionFactory(new ProviderConfiguration().withNumberOfMessagesToPrefetch(0), sqs.client());
        connection = factory.createConnection();
        connection.start();
    }

    @AfterAll
    void disconnect() throws JMSException {
        if (connection != null) {
            connection.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void aClientAcknowledgingConsumerGetsTextBytesAndTypedPropertiesAndAcknowledgesThemAll() throws JMSException {
        String name = createQueue("orders");
        try (Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE)) {
            Queue queue = session.createQueue(name);
            MessageProducer producer = session.createProducer(queue);

            TextMessage order = session.createTextMessage("order 1 — größe ☃");
            order.setStringProperty("customer", "acme");
            order.setIntProperty("quantity", 3);
            order.setLongProperty("placedAt", 1_767_225_600_000L);
            order.setDoubleProperty("amount", 12.5);
            order.setBooleanProperty("express", true);
            order.setShortProperty("warehouse", (short) 7);
            producer.send(order);
            BytesMessage label = session.createBytesMessage();
            label.writeBytes(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
            producer.send(label);
            assertThat(order.getJMSMessageID()).matches("ID:[0-9a-f-]{36}");

            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage receivedOrder = (TextMessage) consumer.receive(RECEIVE_TIMEOUT_MS);
            BytesMessage receivedLabel = (BytesMessage) consumer.receive(RECEIVE_TIMEOUT_MS);

            assertThat(receivedOrder.getText()).isEqualTo("order 1 — größe ☃");
            assertThat(receivedOrder.getJMSMessageID()).isEqualTo(order.getJMSMessageID());
            assertThat(receivedOrder.getStringProperty("customer")).isEqualTo("acme");
            assertThat(receivedOrder.getObjectProperty("quantity")).isEqualTo(3);
            assertThat(receivedOrder.getObjectProperty("placedAt")).isEqualTo(1_767_225_600_000L);
            assertThat(receivedOrder.getObjectProperty("amount")).isEqualTo(12.5);
            assertThat(receivedOrder.getObjectProperty("express")).isEqualTo(true);
            assertThat(receivedOrder.getObjectProperty("warehouse")).isEqualTo((short) 7);
            assertThat(receivedOrder.getJMSRedelivered()).isFalse();
            assertThat(receivedOrder.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            byte[] bytes = new byte[8];
            assertThat(receivedLabel.readBytes(bytes)).isEqualTo(4);
            assertThat(HexFormat.of().formatHex(bytes, 0, 4)).isEqualTo("0001feff");

            // CLIENT_ACKNOWLEDGE: acknowledging one message acknowledges every message the session received before it.
            receivedLabel.acknowledge();
            assertEmpty(name);
        }
    }

    @Test
    void anAutoAcknowledgingConsumerDeletesEachMessageItReceives() throws JMSException {
        String name = createQueue("auto");
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Queue queue = session.createQueue(name);
            MessageProducer producer = session.createProducer(queue);
            for (int i = 1; i <= 3; i++) {
                producer.send(session.createTextMessage("event " + i));
            }

            MessageConsumer consumer = session.createConsumer(queue);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                received.add(((TextMessage) consumer.receive(RECEIVE_TIMEOUT_MS)).getText());
            }

            assertThat(received).containsExactlyInAnyOrder("event 1", "event 2", "event 3");
            assertEmpty(name);
        }
    }

    @Test
    void recoverRedeliversAndAMessageRecoveredTooOftenEndsInTheDeadLetterQueue() throws JMSException {
        String dlqName = queueName("dlq");
        String dlq = sqs.createQueue(dlqName, Map.of(), Map.of());
        String dlqArn = sqs.getQueueAttributes(dlq, List.of("QueueArn")).get("QueueArn");
        String name = queueName("payments");
        String source = sqs.createQueue(
                name,
                Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":2}".formatted(dlqArn)),
                Map.of());
        try (Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE)) {
            Queue queue = session.createQueue(name);
            session.createProducer(queue).send(session.createTextMessage("payment 7"));
            MessageConsumer consumer = session.createConsumer(queue);

            // recover() hands every unacknowledged message back at once (visibility 0): a negative acknowledgement.
            Message first = consumer.receive(RECEIVE_TIMEOUT_MS);
            assertThat(first.getJMSRedelivered()).isFalse();
            session.recover();
            Message second = consumer.receive(RECEIVE_TIMEOUT_MS);
            assertThat(second.getJMSMessageID()).isEqualTo(first.getJMSMessageID());
            assertThat(second.getJMSRedelivered()).isTrue();
            assertThat(second.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            session.recover();

            // maxReceiveCount 2: the next receive from the source moves the message instead of returning it. A short
            // poll (receiveNoWait with no prefetch) leaves no long poll running behind it.
            assertThat(consumer.receiveNoWait()).isNull();
            assertThat(sqs.getQueueAttributes(source, List.of("ApproximateNumberOfMessages")))
                    .containsEntry("ApproximateNumberOfMessages", "0");
            MessageConsumer deadLetters = session.createConsumer(session.createQueue(dlqName));
            TextMessage dead = (TextMessage) deadLetters.receive(RECEIVE_TIMEOUT_MS);
            assertThat(dead.getText()).isEqualTo("payment 7");
            assertThat(dead.getJMSMessageID()).isEqualTo(first.getJMSMessageID());
            dead.acknowledge();
            assertEmpty(dlqName);
        }
    }

    @Test
    void aFifoQueueDeliversEachMessageGroupInOrder() throws JMSException {
        String name = queueName("shipments") + ".fifo";
        sqs.createQueue(name, Map.of("FifoQueue", "true"), Map.of());
        // UNORDERED_ACKNOWLEDGE acknowledges one message at a time, which releases its group for the next one.
        try (Session session = connection.createSession(false, SQSSession.UNORDERED_ACKNOWLEDGE)) {
            Queue queue = session.createQueue(name);
            MessageProducer producer = session.createProducer(queue);
            List<String> sequenceNumbers = new ArrayList<>();
            for (String step : List.of("packed", "shipped", "delivered")) {
                for (String parcel : List.of("parcel-a", "parcel-b")) {
                    TextMessage message = session.createTextMessage(parcel + " " + step);
                    message.setStringProperty("JMSXGroupID", parcel);
                    message.setStringProperty("JMS_SQS_DeduplicationId", parcel + "-" + step);
                    producer.send(message);
                    sequenceNumbers.add(message.getStringProperty("JMS_SQS_SequenceNumber"));
                }
            }
            assertThat(sequenceNumbers).allMatch(number -> number.matches("\\d+"));

            MessageConsumer consumer = session.createConsumer(queue);
            Map<String, List<String>> byGroup = Map.of("parcel-a", new ArrayList<>(), "parcel-b", new ArrayList<>());
            for (int i = 0; i < 6; i++) {
                Message message = consumer.receive(RECEIVE_TIMEOUT_MS);
                assertThat(message).as("message %d of 6", i + 1).isNotNull();
                byGroup.get(message.getStringProperty("JMSXGroupID")).add(((TextMessage) message).getText());
                assertThat(message.getStringProperty("JMS_SQS_DeduplicationId")).isNotBlank();
                message.acknowledge();
            }

            assertThat(byGroup.get("parcel-a"))
                    .containsExactly("parcel-a packed", "parcel-a shipped", "parcel-a delivered");
            assertThat(byGroup.get("parcel-b"))
                    .containsExactly("parcel-b packed", "parcel-b shipped", "parcel-b delivered");
            assertEmpty(name);
        }
    }

    /** A standard queue made through the library's own wrapper of the SDK client, as a JMS application would. */
    private String createQueue(String stem) throws JMSException {
        String name = queueName(stem);
        connection.getWrappedAmazonSQSClient().createQueue(name);
        return name;
    }

    private void assertEmpty(String queueName) {
        SqsSuiteSupport.assertEmpty(sqs, sqs.getQueueUrl(queueName));
    }

    private static String queueName(String stem) {
        return SqsSuiteSupport.uniqueQueueName("jms", stem);
    }
}
