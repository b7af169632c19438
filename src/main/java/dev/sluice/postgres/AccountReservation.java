package dev.sluice.postgres;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;

/**
 * A tenant's maxMessages, exact across replicas: the first statement of a limited account's send transaction, {@code
 * sluice_reserve_account_messages} ({@code V5__account_message_limit.sql}), takes the account's transaction-scoped
 * advisory lock, counts the account's messages and refuses with SQLSTATE {@value #OVER_LIMIT} if the send would pass
 * the limit; the insert follows in the same pipelined transaction, so the check costs no round trip of its own and
 * two sends of one account, on any replicas, are checked one after the other (each sees what the other stored).
 */
final class AccountReservation {
    /** The SQLSTATE the reservation raises when the account has no room for the send. */
    static final String OVER_LIMIT = "SL429";

    private static final String RESERVE = "select sluice_reserve_account_messages($1, $2, $3, $4)";

    private AccountReservation() {}

    /** The step that reserves room for {@code adding} messages, or refuses the whole transaction. */
    static Pipeline.Step of(String accountId, int adding, long maxMessages, long now) {
        return new Pipeline.Step(
                RESERVE,
                Tuple.tuple()
                        .addString(accountId)
                        .addInteger(adding)
                        .addLong(maxMessages)
                        .addLong(now));
    }

    /** Whether a send failed because the reservation found no room. */
    static boolean refused(Throwable failure) {
        return failure instanceof PgException pg && OVER_LIMIT.equals(pg.getSqlState());
    }
}
