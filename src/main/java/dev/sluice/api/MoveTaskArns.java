package dev.sluice.api;

import dev.sluice.engine.QueueArn;
import dev.sluice.engine.QueueKey;

/** The queue an ARN parameter of the move-task actions names; a malformed one is InvalidParameterValue. */
final class MoveTaskArns {
    private MoveTaskArns() {}

    static QueueKey queueOf(String parameter, String arn) {
        QueueArn parsed = QueueArn.parse(arn);
        if (parsed == null) {
            throw AwsErrors.invalidParameter("Value " + arn + " for parameter " + parameter + " is invalid.");
        }
        return parsed.key();
    }
}
