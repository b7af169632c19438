package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;

/**
 * The web console in a real headless Chromium against the packaged server, with the AWS SDK for Java v2 on the other
 * side: what an SDK does shows in the console, what the console does an SDK sees, a peek changes nothing, a redrive
 * moves dead letters back, and hostile message bodies stay text. Screenshots go to target/console-screenshots/.
 */
class ConsoleBrowserTest {
    private static final String TOKEN = "console-test-token";
    private static final String ACCOUNT = "000000000000";

    private static SluiceProcess server;
    private static URI endpoint;
    private static SqsClient sqs;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        String name = ConsoleBrowserTest.class.getSimpleName();
        server = SluiceServer.startOwn(name, List.of("-Dsluice.admin.token=" + TOKEN));
        endpoint = server.endpoint();
        sqs = Sdk.v2(endpoint);
        browser = new ConsoleBrowser(name);
        browser.open(endpoint + "/console");
        browser.type("#login-token", TOKEN);
        browser.click("#login-submit");
        browser.untilText("#who", "admin");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void queueCreatedBySdkAppearsWithItsLiveCount() {
        String url = sqs.createQueue(b -> b.queueName("console-counted")).queueUrl();
        for (int i = 0; i < 3; i++) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("m"));
        }
        browser.open(endpoint + "/console#/queues");
        String row = "tr[data-queue='" + ACCOUNT + "/console-counted']";
        browser.untilText(row + " td.visible", "3");

        sqs.sendMessage(b -> b.queueUrl(url).messageBody("one more"));
        browser.untilText(row + " td.visible", "4");
        browser.screenshot("queue-list");
    }

    @Test
    void messageSentFromTheConsoleIsReceivedByAnSdk() {
        String url = sqs.createQueue(b -> b.queueName("console-sent")).queueUrl();
        openQueue("console-sent");
        browser.type("#send-body", "hello from the console");
        browser.click("#add-attribute");
        browser.type(".attr-name", "origin");
        browser.type(".attr-value", "console");
        browser.click("#send-submit");
        assertThat(browser.find("#notice").getText()).startsWith("Sent message");

        List<Message> received = sqs.receiveMessage(
                        b -> b.queueUrl(url).waitTimeSeconds(5).messageAttributeNames("All"))
                .messages();
        assertThat(received).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("hello from the console");
            assertThat(message.messageAttributes().get("origin").stringValue()).isEqualTo("console");
        });
        browser.screenshot("send");
    }

    @Test
    void peekChangesNeitherVisibilityNorReceiveCounts() {
        String url = sqs.createQueue(b -> b.queueName("console-peek")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("taken by a consumer"));
        Message inFlight = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(600))
                .messages()
                .getFirst();
        sqs.sendMessage(b -> b.queueUrl(url)
                .messageBody("waiting")
                .messageAttributes(Map.of(
                        "kind",
                        software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue("example")
                                .build())));

        openQueue("console-peek");
        browser.until(d -> browser.all("#messages tr.message").size() == 2);
        browser.click("#peek");
        browser.click("#peek");
        browser.until(d -> browser.all("#messages tr.message").size() == 2);
        WebElement taken = row(inFlight.messageId());
        assertThat(taken.findElement(By.cssSelector("td.state")).getDomAttribute("data-state"))
                .isEqualTo("inFlight");
        assertThat(taken.findElement(By.cssSelector("td.receive-count")).getText())
                .isEqualTo("1");
        browser.screenshot("queue-detail");

        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        assertThat(counts)
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "1")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1");
        List<Message> next = sqs.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        assertThat(next).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("waiting");
            assertThat(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .as("the peeks were no receives")
                    .isEqualTo("1");
        });
    }

    @Test
    void redriveFromADeadLetterQueueMovesTheMessagesBack() {
        String redrive = Sdk.deadLetterQueue(sqs, "console-dlq", 1);
        String dlq = sqs.getQueueUrl(b -> b.queueName("console-dlq")).queueUrl();
        String source = sqs.createQueue(b ->
                        b.queueName("console-source").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)))
                .queueUrl();
        sqs.sendMessage(b -> b.queueUrl(source).messageBody("first"));
        sqs.sendMessage(b -> b.queueUrl(source).messageBody("second"));
        assertThat(sqs.receiveMessage(
                                b -> b.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0))
                        .messages())
                .hasSize(2);
        // Received once already (maxReceiveCount 1): this receive moves them to the dead-letter queue instead.
        assertThat(sqs.receiveMessage(
                                b -> b.queueUrl(source).maxNumberOfMessages(10).visibilityTimeout(0))
                        .messages())
                .isEmpty();
        assertThat(visible(dlq)).isEqualTo("2");

        openQueue("console-dlq");
        assertThat(browser.find("a.source-queue").getText()).isEqualTo("console-source");
        browser.click("#redrive-start");
        browser.untilText("#move-tasks td.status", "COMPLETED");
        browser.untilText("#move-tasks span.moved", "2");
        assertThat(visible(source)).isEqualTo("2");
        assertThat(visible(dlq)).isEqualTo("0");
        browser.screenshot("redrive");
    }

    @Test
    void aScriptInAMessageBodyIsShownAsTextAndNeverRuns() {
        String hostile = "<script>window.__sluicePwned='script'</script>"
                + "<img src=x onerror=\"window.__sluicePwned='img'\"><b>bold?</b>";
        String url = sqs.createQueue(b -> b.queueName("console-hostile")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(hostile));

        openQueue("console-hostile");
        WebElement body = browser.find("#messages pre.body");
        assertThat(body.getText()).isEqualTo(hostile);
        assertThat(browser.all("#messages script, #messages img, #messages b"))
                .as("the body became text, not elements")
                .isEmpty();
        assertThat(browser.script("return window.__sluicePwned === undefined")).isEqualTo(true);
        browser.screenshot("hostile-body");
    }

    @Test
    void aBusyQueueShowsItsCountsMessagesAndRedrivePolicy() {
        String redrive = Sdk.deadLetterQueue(sqs, "orders-dlq", 5);
        String url = sqs.createQueue(b -> b.queueName("orders")
                        .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive))
                        .tags(Map.of("team", "checkout", "env", "dev")))
                .queueUrl();
        String[] customers = {"ada", "grace", "edsger", "barbara", "ken"};
        for (int i = 0; i < customers.length; i++) {
            String body = "{\"orderId\":" + (1041 + i) + ",\"customer\":\"" + customers[i] + "\",\"total\":"
                    + (19.5 + 7 * i) + "}";
            sqs.sendMessage(b -> b.queueUrl(url)
                    .messageBody(body)
                    .messageAttributes(Map.of(
                            "source",
                            software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue("web")
                                    .build())));
        }
        sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(300));
        sqs.sendMessage(b -> b.queueUrl(url)
                .messageBody("{\"orderId\":1046,\"customer\":\"tony\",\"total\":12.0}")
                .delaySeconds(600));

        openQueue("orders");
        browser.untilText("#count-visible", "3");
        browser.untilText("#count-in-flight", "2");
        browser.untilText("#count-delayed", "1");
        browser.until(d -> browser.all("#messages tr.message").size() == 6);
        assertThat(browser.find("#redrive-policy").getText())
                .contains("orders-dlq")
                .contains("5 receives");
        browser.all("#messages tr.message button.link").get(2).click();
        assertThat(browser.find("#messages .details").getText()).contains("source = String: web");
        browser.screenshot("console");
    }

    @Test
    void purgeAndDeleteAskForConfirmation() {
        String url = sqs.createQueue(b -> b.queueName("console-purged")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("a"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("b"));
        openQueue("console-purged");

        browser.click("#purge");
        browser.click("#confirm-cancel");
        assertThat(visible(url)).isEqualTo("2");
        browser.click("#purge");
        browser.click("#confirm-ok");
        browser.untilText("#count-visible", "0");
        assertThat(visible(url)).isEqualTo("0");

        browser.click("#delete-queue");
        browser.type("#confirm-input", "not-the-name");
        browser.click("#confirm-ok");
        assertThat(browser.find("#error").getText()).contains("console-purged");
        assertThat(visible(url)).isEqualTo("0");
        browser.type("#confirm-input", "console-purged");
        browser.click("#confirm-ok");
        browser.find("#queues");
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("console-purged")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void theAdminManagesTenantsAndKeys() {
        browser.open(endpoint + "/console#/tenants");
        browser.type("#tenant-account", "333333333333");
        browser.type("#tenant-name", "team c");
        browser.type("#tenant-max-queues", "5");
        browser.click("#tenant-create");
        WebElement tenant = browser.find("tr[data-tenant='333333333333']");
        assertThat(tenant.getText()).contains("team c").contains("5 queues");
        tenant.findElement(By.xpath(".//button[text()='Keys']")).click();
        browser.find("tr.keys button.link").click();
        assertThat(browser.find("#notice").getText()).contains("secret").contains("shown only this once");
        browser.screenshot("tenants");
    }

    @Test
    void theAdminSetsAQuotaAndSeesItInUse() {
        browser.open(endpoint + "/console#/tenants");
        browser.type("#tenant-account", "444444444444");
        browser.click("#tenant-create");
        WebElement tenant = browser.find("tr[data-tenant='444444444444']");
        assertThat(tenant.findElement(By.cssSelector("td.quota")).getText()).isEqualTo("default");
        tenant.findElement(By.xpath(".//button[text()='Quota…']")).click();
        browser.type("#quota-form input[name=requestsPerSecond]", "1");
        browser.type("#quota-form input[name=requestBurst]", "2");
        browser.click("#quota-save");
        browser.untilText("tr[data-tenant='444444444444'] td.quota", "1 requests/s (burst 2)");
        // The open auth mode: an access key id of 12 digits acts as that account, so the quota applies to it.
        try (SqsClient account = Sdk.v2(endpoint, "444444444444", "any-secret")) {
            account.listQueues();
            account.listQueues();
            assertThatThrownBy(account::listQueues).isInstanceOf(RequestThrottledException.class);
        }
        browser.until(d -> d.findElement(By.cssSelector("tr[data-tenant='444444444444'] td.quota-use"))
                .getText()
                .contains("1 throttled"));
        assertThat(browser.find("tr[data-tenant='444444444444'] td.quota-use").getText())
                .contains("2 admitted");
        browser.screenshot("tenant-quota");
    }

    private static void openQueue(String name) {
        browser.open(endpoint + "/console#/queues/" + ACCOUNT + "/" + name);
        browser.untilText("#queue-title", name + " " + "standard");
    }

    private static WebElement row(String messageId) {
        return browser.find("#messages tr.message[data-id='" + messageId + "']");
    }

    private static String visible(String url) {
        return sqs.getQueueAttributes(
                        b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }
}
