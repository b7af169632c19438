package dev.sluice.postgres;

import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Which failures of the PostgreSQL client mean "the database cannot be reached for now" (answered {@code
 * ServiceUnavailable}, 503, which every SDK retries) rather than a fault of Sluice (500 {@code InternalFailure}): the
 * transport failing (connection refused or reset, a closed connection, no connection or no answer in time), SQLSTATE
 * class 08 (connection exception), 57P01–57P03 (the server shutting down, crashed or still starting) and 53300 (too
 * many connections). Every other SQLSTATE (a constraint, a syntax error) stays what it is: a bug to see in the log.
 */
public final class DatabaseOutage {
    /** Operator intervention: admin_shutdown, crash_shutdown, cannot_connect_now; and too_many_connections. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseOutage() {}

    /** Whether {@code failure} (or one of its causes) says the database cannot be reached for now. */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException
                    || cause instanceof ClosedConnectionException
                    || cause instanceof TimeoutException
                    || closedBeforeWritten(cause)) {
                return true;
            }
            if (cause instanceof DatabaseException database) {
                String state = database.getSqlState();
                return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * A statement given to a connection the server had closed before the client noticed: Vert.x fails it with a bare
     * {@code NoStackTraceThrowable} and only this message (the race that {@code pg_terminate_backend} and a restart
     * leave behind), where a statement already written fails with a {@link ClosedConnectionException}.
     */
    private static boolean closedBeforeWritten(Throwable cause) {
        String message = cause.getMessage();
        return message != null && message.startsWith("Connection is not active now");
    }

    /**
     * {@code failure} as the caller should see it: a {@link QueueError#UNAVAILABLE} refusal if the database cannot be
     * reached, else unchanged.
     */
    public static Throwable explain(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof QueueException || !is(cause)) {
            return cause;
        }
        return new QueueException(
                QueueError.UNAVAILABLE,
                "The service is unavailable: Sluice cannot reach its PostgreSQL database for now (" + describe(cause)
                        + "). Please try again.");
    }

    /** What went wrong, in words safe to show a client (no host names, no addresses). */
    private static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof DatabaseException database) {
                return "SQLSTATE " + database.getSqlState();
            }
            if (cause instanceof TimeoutException) {
                return "no answer in time";
            }
        }
        return "connection failed";
    }
}
