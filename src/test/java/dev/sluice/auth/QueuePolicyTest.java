package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Queue policies as AddPermission and RemovePermission edit them; what they grant is CompiledPolicyTest's. */
class QueuePolicyTest {
    private static final String ARN = "arn:aws:sqs:us-east-1:111111111111:orders";

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
        assertThat(allows(reread, "222222222222", "SendMessage")).isTrue();
        assertThat(allows(reread, "222222222222", "ReceiveMessage")).isFalse();
        assertThat(allows(reread, "444444444444", "DeleteMessage")).isTrue();

        QueuePolicy removed = reread.withoutPermission("b-sends");
        assertThat(removed.hasLabel("b-sends")).isFalse();
        assertThat(allows(removed, "222222222222", "SendMessage")).isFalse();
        assertThat(allows(removed, "333333333333", "SendMessage")).isTrue();
    }

    /** What the edited policy grants, read as a policy being set: AddPermission writes only policies Sluice accepts. */
    private static boolean allows(QueuePolicy policy, String account, String action) {
        return CompiledPolicy.validate(policy.toJson())
                .allows(new RequestContext(account, action, ARN, "127.0.0.1", false, 0));
    }
}
