package dev.sluice.api;

import dev.sluice.engine.QueueArn;
import dev.sluice.engine.QueueKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

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

    /**
     * The source queue a task handle names: the engine makes handles as base64url of "{id} {sourceArn}". Empty for a
     * handle not of that form, which the engine then reports as a task that does not exist.
     */
    static Optional<QueueKey> sourceOfHandle(String taskHandle) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(taskHandle), StandardCharsets.UTF_8);
            int space = decoded.indexOf(' ');
            QueueArn arn = space < 0 ? null : QueueArn.parse(decoded.substring(space + 1));
            return arn == null ? Optional.empty() : Optional.of(arn.key());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
