package dev.sluice.queues.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The error a rule refuses with. */
final class RuleAssertions {
    private RuleAssertions() {}

    static QueueError errorOf(ThrowingCallable rule) {
        QueueError[] error = new QueueError[1];
        assertThatThrownBy(rule)
                .isInstanceOf(QueueException.class)
                .satisfies(thrown -> error[0] = ((QueueException) thrown).error());
        return error[0];
    }
}
