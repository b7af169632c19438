package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Queue policies as SQS users write them, and as AddPermission writes them. */
class QueuePolicyTest {
    private static final String ARN = "arn:aws:sqs:us-east-1:111111111111:orders";

    @Test
    void aPolicyGrantsItsActionsToItsPrincipalsOnly() {
        QueuePolicy policy = QueuePolicy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":["arn:aws:iam::222222222222:root","333333333333"]},
                 "Action":"sqs:SendMessage","Resource":"%s"}]}""".formatted(ARN), ARN);

        assertThat(policy.allows("222222222222", "SendMessage", ARN)).isTrue();
        assertThat(policy.allows("333333333333", "SendMessage", ARN)).isTrue();
        assertThat(policy.allows("444444444444", "SendMessage", ARN)).isFalse();
        assertThat(policy.allows("222222222222", "ReceiveMessage", ARN)).isFalse();
        assertThat(policy.allows("222222222222", "SendMessage", ARN.replace("orders", "other")))
                .isFalse();
    }

    @Test
    void wildcardsDenyAndConditions() {
        QueuePolicy policy = QueuePolicy.parse("""
                {"Statement":[
                 {"Effect":"Allow","Principal":"*","Action":"SQS:*","Resource":"*"},
                 {"Effect":"Deny","Principal":{"AWS":"444444444444"},"Action":"sqs:Purge*"},
                 {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Condition":{"IpAddress":{}}}]}""", ARN);

        assertThat(policy.allows("222222222222", "PurgeQueue", ARN)).isTrue();
        assertThat(policy.allows("444444444444", "PurgeQueue", ARN)).isFalse();
        assertThat(policy.allows("444444444444", "ReceiveMessage", ARN)).isTrue();
        assertThat(QueuePolicy.parse("not json", ARN).allows("222222222222", "SendMessage", ARN))
                .isFalse();
        assertThat(QueuePolicy.parse(
                                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                                        + "\"Action\":\"*\",\"Condition\":{\"a\":{}}}}",
                                ARN)
                        .allows("222222222222", "SendMessage", ARN))
                .isFalse();
    }

    @Test
    void addPermissionStatementsAreAddedAndRemovedByLabel() {
        QueuePolicy granted = QueuePolicy.empty(ARN)
                .withPermission("b-sends", List.of("222222222222"), List.of("SendMessage"), ARN)
                .withPermission("c-all", List.of("333333333333", "444444444444"), List.of("*"), ARN);

        assertThat(granted.hasLabel("b-sends")).isTrue();
        assertThat(granted.toJson())
                .contains("\"Sid\":\"b-sends\"")
                .contains("\"AWS\":\"arn:aws:iam::222222222222:root\"")
                .contains("\"Action\":\"SQS:SendMessage\"");
        QueuePolicy reread = QueuePolicy.parse(granted.toJson(), ARN);
        assertThat(reread.allows("222222222222", "SendMessage", ARN)).isTrue();
        assertThat(reread.allows("222222222222", "ReceiveMessage", ARN)).isFalse();
        assertThat(reread.allows("444444444444", "DeleteMessage", ARN)).isTrue();

        QueuePolicy removed = reread.withoutPermission("b-sends");
        assertThat(removed.hasLabel("b-sends")).isFalse();
        assertThat(removed.allows("222222222222", "SendMessage", ARN)).isFalse();
        assertThat(removed.allows("333333333333", "SendMessage", ARN)).isTrue();
    }
}
