package dev.sluice.postgres;

import dev.sluice.queues.MessagePage;
import dev.sluice.queues.PeekRequest;
import dev.sluice.queues.PeekedMessage;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.rules.SequenceNumbers;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads that change nothing: a queue's approximate counts (GetQueueAttributes), an account's message count (a
 * tenant's maxMessages) and pages of a queue's messages (the admin API's peek). Messages past their retention period
 * are left out. The counts scan the queue's rows: approximate in SQS's sense, exact here, and costlier than the
 * embedded engine's for a long queue.
 */
final class MessageViews {
    static final int MAX_PAGE = 100;

    /** Visible, in flight (received, hidden), delayed (never received, hidden). */
    private static final String COUNTS = """
            select count(*) filter (where visible_at <= $2),
                   count(*) filter (where visible_at > $2 and receive_count > 0),
                   count(*) filter (where visible_at > $2 and receive_count = 0)
            from message where queue_id = $1 and enqueued_at > $3""";

    /** The function a limited account's sends reserve with too ({@link AccountReservation}). */
    private static final String ACCOUNT_COUNT = "select sluice_account_messages($1, $2)";

    /** $4: 0 every state, 1 visible, 2 in flight, 3 delayed. */
    private static final String PAGE = """
            select seq, message_id, body, attributes, group_id, deduplication_id, dead_letter_source, receive_count,
                   sent_at, first_received_at, visible_at
            from message
            where queue_id = $1 and seq > $2 and enqueued_at > $3
              and ($4 = 0 or ($4 = 1 and visible_at <= $5) or ($4 = 2 and visible_at > $5 and receive_count > 0)
                   or ($4 = 3 and visible_at > $5 and receive_count = 0))
            order by seq
            limit $6""";

    /** A queue's three counts. */
    record Counts(int visible, int inFlight, int delayed) {}

    private final Pool pool;

    /** The region of the queues this backend serves: dead-letter sources are named in it. */
    private final String region;

    MessageViews(Pool pool, String region) {
        this.pool = pool;
        this.region = region;
    }

    Future<Counts> counts(long queueId, long now, long expiredBefore) {
        return pool.preparedQuery(COUNTS)
                .execute(Tuple.of(queueId, now, expiredBefore))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Counts(
                            row.getLong(0).intValue(),
                            row.getLong(1).intValue(),
                            row.getLong(2).intValue());
                });
    }

    /** The account's messages not past their retention period at {@code now}. */
    Future<Long> accountCount(String accountId, long now) {
        return pool.preparedQuery(ACCOUNT_COUNT)
                .execute(Tuple.of(accountId, now))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    Future<MessagePage> peek(QueueRow queue, PeekRequest request, long now) {
        int max = request.maxMessages();
        if (max < 1 || max > MAX_PAGE) {
            throw QueueException.invalidParameter("Value " + max
                    + " for parameter maxMessages is invalid. Reason: Must be between 1 and " + MAX_PAGE + ".");
        }
        long after = request.afterToken().map(MessageViews::place).orElse(0L);
        int state = request.state().map(wanted -> wanted.ordinal() + 1).orElse(0);
        long expiredBefore = now - queue.settings().messageRetentionPeriod().toMillis();
        boolean fifo = queue.settings().fifo();
        return pool.preparedQuery(PAGE)
                .execute(Tuple.of(queue.id(), after, expiredBefore, state, now, max + 1))
                .map(rows -> {
                    List<PeekedMessage> messages = new ArrayList<>(max);
                    String next = null;
                    for (Row row : rows) {
                        if (messages.size() == max) {
                            next = Long.toString(row.getLong(0) - 1);
                            break;
                        }
                        messages.add(view(row, now, fifo));
                    }
                    return new MessagePage(messages, next);
                });
    }

    private PeekedMessage view(Row row, long now, boolean fifo) {
        long visibleAt = row.getLong(10);
        int receiveCount = row.getInteger(7);
        PeekedMessage.State state = visibleAt <= now
                ? PeekedMessage.State.VISIBLE
                : receiveCount == 0 ? PeekedMessage.State.DELAYED : PeekedMessage.State.IN_FLIGHT;
        Long firstReceived = row.getLong(9);
        String source = row.getString(6);
        return new PeekedMessage(
                row.getUUID(1).toString(),
                row.getString(2),
                AttributeCodec.decode(row.getBuffer(3)).message(),
                row.getString(4),
                row.getString(5),
                fifo ? SequenceNumbers.format(row.getLong(0)) : null,
                source == null ? null : QueuePath.parse(region, source),
                state,
                receiveCount,
                Instant.ofEpochMilli(row.getLong(8)),
                firstReceived == null ? null : Instant.ofEpochMilli(firstReceived),
                Instant.ofEpochMilli(visibleAt));
    }

    private static long place(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw QueueException.invalidParameter("Value " + token + " for parameter next is invalid.");
        }
    }
}
