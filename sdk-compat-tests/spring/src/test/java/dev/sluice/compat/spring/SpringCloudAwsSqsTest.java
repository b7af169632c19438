package dev.sluice.compat.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compat.SluiceServer;
import io.awspring.cloud.sqs.listener.SqsHeaders.MessageSystemAttributes;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Spring Cloud AWS SQS against the packaged Sluice server: {@link OrderServiceApplication} runs with its endpoint set
 * to Sluice; the tests send through the auto-configured {@link SqsTemplate} and read what the application's
 * {@code @SqsListener} methods were handed from {@link Deliveries}. The listeners poll with 1-second long polls, and
 * the failing listener receives with a 1-second visibility timeout and the manual-acknowledgement one with 5 seconds,
 * so their redeliveries take that long each.
 */
@ExtendWith(SluiceServer.class)
class SpringCloudAwsSqsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ConfigurableApplicationContext app;
    private static QueueNames queues;
    private static SqsTemplate template;
    private static Deliveries deliveries;

    @BeforeAll
    static void startApplication(URI endpoint) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.cloud.aws.sqs.endpoint", endpoint.toString());
        properties.put("spring.cloud.aws.region.static", "us-east-1");
        properties.put("spring.cloud.aws.credentials.access-key", "test");
        properties.put("spring.cloud.aws.credentials.secret-key", "test");
        properties.put("spring.cloud.aws.sqs.listener.poll-timeout", "1s");
        for (String queue : List.of("orders", "invoices", "reports", "payments", "payments-dlq")) {
            properties.put("queues." + queue, "spring-%s-%s".formatted(queue, run));
        }
        properties.put("queues.shipments", "spring-shipments-%s.fifo".formatted(run));
        app = new SpringApplicationBuilder(OrderServiceApplication.class)
                .main(OrderServiceApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .properties(properties)
                .run();
        queues = app.getBean(QueueNames.class);
        template = app.getBean(SqsTemplate.class);
        deliveries = app.getBean(Deliveries.class);
    }

    @AfterAll
    static void stopApplication() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theListenerGetsThePayloadAndHeadersAndAcknowledgesOnSuccess() throws InterruptedException {
        var sent = template.send(to -> to.queue(queues.orders())
                .payload(new OrderPlaced("order-1", 3))
                .header("tenant", "acme")
                .header("priority", 7));

        assertThat(sent.messageId()).isNotNull();
        assertThat(deliveries.take("orders", 1, WAIT)).containsExactly("order-1 x3 tenant=acme priority=7 receives=1");
        assertDrained(queues.orders());
    }

    @Test
    void aMessageNotAcknowledgedByHandComesBackAndIsGoneOnceAcknowledged() throws InterruptedException {
        template.send(queues.invoices(), "invoice-42");

        assertThat(deliveries.take("invoices", 2, WAIT))
                .containsExactly("invoice-42 receive 1", "invoice-42 receive 2");
        assertDrained(queues.invoices());
        assertThat(deliveries.more("invoices", Duration.ofMillis(1500))).isEmpty();
    }

    @Test
    void aFifoListenerSeesEachGroupInOrder() throws InterruptedException {
        List<Message<String>> batch = new ArrayList<>();
        for (String group : List.of("parcel-a", "parcel-b")) {
            for (String step : List.of("packed", "shipped")) {
                batch.add(MessageBuilder.withPayload(step)
                        .setHeader(MessageSystemAttributes.SQS_MESSAGE_GROUP_ID_HEADER, group)
                        .build());
            }
        }
        var sent = template.sendMany(queues.shipments(), batch);
        assertThat(sent.failed()).isEmpty();
        template.send(to -> to.queue(queues.shipments()).payload("delivered").messageGroupId("parcel-a"));

        var delivered = deliveries.take("shipments", 5, WAIT);
        assertThat(delivered.stream().filter(d -> d.startsWith("parcel-a")))
                .containsExactly("parcel-a: packed", "parcel-a: shipped", "parcel-a: delivered");
        assertThat(delivered.stream().filter(d -> d.startsWith("parcel-b")))
                .containsExactly("parcel-b: packed", "parcel-b: shipped");
        assertDrained(queues.shipments());
    }

    @Test
    void aMessageTheListenerKeepsFailingOnEndsInTheDeadLetterQueue() throws InterruptedException {
        template.send(queues.payments(), "payment-7");

        // maxReceiveCount 2: two failed deliveries, then SQS moves the message instead of delivering it a third time.
        assertThat(deliveries.take("payments", 2, WAIT)).containsExactly("payment-7", "payment-7");
        assertThat(deliveries.take("payments-dlq", 1, WAIT)).containsExactly("payment-7");
        assertThat(deliveries.more("payments", Duration.ofMillis(1500))).isEmpty();
        assertDrained(queues.payments());
        assertDrained(queues.paymentsDlq());
    }

    @Test
    void theTemplatePullsMessagesAndAcknowledgesThem() throws InterruptedException {
        var sent = template.sendMany(
                queues.reports(),
                List.of(
                        MessageBuilder.withPayload(new OrderPlaced("report-1", 1))
                                .build(),
                        MessageBuilder.withPayload(new OrderPlaced("report-2", 2))
                                .build(),
                        MessageBuilder.withPayload(new OrderPlaced("report-3", 3))
                                .build()));
        assertThat(sent.successful()).hasSize(3);

        List<OrderPlaced> pulled = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pulled.size() < 3 && System.nanoTime() < deadline) {
            template.receiveMany(
                            from -> from.queue(queues.reports())
                                    .maxNumberOfMessages(10)
                                    .pollTimeout(Duration.ofSeconds(1)),
                            OrderPlaced.class)
                    .forEach(message -> pulled.add(message.getPayload()));
        }
        assertThat(pulled)
                .extracting(OrderPlaced::orderId)
                .containsExactlyInAnyOrder("report-1", "report-2", "report-3");
        assertDrained(queues.reports());
    }

    /** Acknowledged means deleted: nothing visible or in flight is left (acknowledgements are batched for 1 s). */
    private static void assertDrained(String queueName) throws InterruptedException {
        SqsAsyncClient sqs = app.getBean(SqsAsyncClient.class);
        String url =
                sqs.getQueueUrl(request -> request.queueName(queueName)).join().queueUrl();
        Map<QueueAttributeName, String> counts = Map.of();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            counts = sqs.getQueueAttributes(request -> request.queueUrl(url)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .join()
                    .attributes();
            if (counts.values().stream().allMatch("0"::equals)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(counts)
                .as("messages left in " + queueName)
                .allSatisfy((name, value) -> assertThat(value).isEqualTo("0"));
    }
}
