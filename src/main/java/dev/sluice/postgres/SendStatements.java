package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * SendMessage and SendMessageBatch as SQL: one round trip for a batch. Sequence numbers come from the database
 * ({@code message_seq}), drawn in the batch's order.
 *
 * <p>Standard queues: one {@code INSERT … SELECT FROM unnest(…)}, which can store the messages of several requests
 * to the queue at once (each message with its request's time and sender). FIFO queues: a pipelined transaction whose first
 * statement upserts, and so locks, the batch's message groups, in name order so two batches never deadlock; only then
 * does the second draw sequence numbers, so within a group they are in commit order and no receive can take a later
 * message of the group while an earlier one is uncommitted. The second statement also inserts-or-gets the
 * deduplication keys ({@code ON CONFLICT DO UPDATE} that keeps a live row and replaces an expired one, returning
 * the row either way), inserts only the messages whose key was new, and gives groups that were empty their head.
 * The rules collapse repeated keys within one batch first: one statement cannot upsert the same key twice.
 */
final class SendStatements {
    static final String STANDARD = """
            insert into message (queue_id, seq, message_id, visible_at, sent_at, enqueued_at, group_id, sender_id,
                                 attributes, body, body_md5)
            select $1, nextval('message_seq'), m.message_id, m.sent_at + m.delay_ms, m.sent_at, m.sent_at, m.group_id,
                   m.sender_id, m.attributes, m.body, m.body_md5
            from unnest($2::bigint[], $3::text[], $4::uuid[], $5::bigint[], $6::text[], $7::bytea[], $8::text[],
                        $9::bytea[])
                 with ordinality as m(sent_at, sender_id, message_id, delay_ms, group_id, attributes, body, body_md5, n)
            order by m.n
            returning message_id, seq""";

    static final String LOCK_GROUPS = """
            insert into message_group (queue_id, group_id)
            select $1, g from unnest($2::text[]) as g order by g
            on conflict (queue_id, group_id) do update set busy_until = message_group.busy_until""";

    static final String FIFO = """
            with input as (
                select m.*, nextval('message_seq') as seq
                from unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::text[], $12::bytea[])
                     with ordinality as m(message_id, group_id, deduplication_id, dedup_key, attributes, body, body_md5, n)
                order by m.n
            ), dedup as (
                insert into deduplication as d (queue_id, dedup_key, message_id, seq, expires_at)
                select $1, dedup_key, message_id, seq, $2::bigint + $10::bigint from input
                on conflict (queue_id, dedup_key) do update set
                    message_id = case when d.expires_at <= $2 then excluded.message_id else d.message_id end,
                    seq = case when d.expires_at <= $2 then excluded.seq else d.seq end,
                    expires_at = case when d.expires_at <= $2 then excluded.expires_at else d.expires_at end
                returning d.dedup_key, d.message_id, d.seq
            ), fresh as (
                select input.* from input join dedup on dedup.message_id = input.message_id
            ), inserted as (
                insert into message (queue_id, seq, message_id, visible_at, sent_at, enqueued_at, group_id,
                                     deduplication_id, sender_id, attributes, body, body_md5)
                select $1, seq, message_id, $2::bigint + $11::bigint, $2, $2, group_id, deduplication_id, $3, attributes, body,
                       body_md5
                from fresh
            ), heads as (
                update message_group g set head_seq = f.seq
                from (select group_id, min(seq) as seq from fresh group by group_id) f
                where g.queue_id = $1 and g.group_id = f.group_id and g.head_seq is null
            )
            select dedup_key, message_id, seq from dedup""";

    private final Pool pool;

    SendStatements(Pool pool) {
        this.pool = pool;
    }

    /** One standard send request's messages, with its time and sender. */
    record Sending(long queueId, long now, String senderId, List<OutgoingMessage> messages) {}

    /** Stores the messages of a standard queue; the result is in the order of {@code messages}. */
    Future<List<SentRow>> sendStandard(long queueId, long now, String senderId, List<OutgoingMessage> messages) {
        return sendStandard(queueId, now, senderId, messages, null);
    }

    /**
     * Stores the messages of a standard queue; the result is in the order of {@code messages}. {@code reservation}
     * (null: none) runs first in the same pipelined transaction ({@link AccountReservation}).
     */
    Future<List<SentRow>> sendStandard(
            long queueId, long now, String senderId, List<OutgoingMessage> messages, Pipeline.Step reservation) {
        return sendStandard(List.of(new Sending(queueId, now, senderId, messages)), reservation)
                .map(List::getFirst);
    }

    /**
     * Stores the messages of several send requests to one standard queue in one statement (concurrent sends merged
     * by a {@link Coalescer}): each message keeps its request's time and sender, each request's messages are numbered
     * in their order, and each request is answered with its own rows.
     */
    Future<List<List<SentRow>>> sendStandard(List<Sending> sendings) {
        return sendStandard(sendings, null);
    }

    private Future<List<List<SentRow>>> sendStandard(List<Sending> sendings, Pipeline.Step reservation) {
        int n = 0;
        for (Sending sending : sendings) {
            n += sending.messages().size();
        }
        Long[] sentAt = new Long[n];
        String[] senders = new String[n];
        UUID[] ids = new UUID[n];
        Long[] delays = new Long[n];
        String[] groups = new String[n];
        Buffer[] attributes = new Buffer[n];
        String[] bodies = new String[n];
        Buffer[] md5s = new Buffer[n];
        int i = 0;
        for (Sending sending : sendings) {
            for (OutgoingMessage message : sending.messages()) {
                sentAt[i] = sending.now();
                senders[i] = sending.senderId();
                ids[i] = message.messageId();
                delays[i] = message.delayMillis();
                groups[i] = message.groupId();
                attributes[i] = message.attributes();
                bodies[i] = message.body();
                md5s[i] = message.md5Column();
                i++;
            }
        }
        Tuple standard =
                Tuple.of(sendings.getFirst().queueId(), sentAt, senders, ids, delays, groups, attributes, bodies, md5s);
        Future<RowSet<Row>> stored = reservation == null
                ? pool.preparedQuery(STANDARD).execute(standard)
                : pool.withConnection(connection -> Pipeline.inTransaction(
                        connection, List.of(reservation, new Pipeline.Step(STANDARD, standard))));
        int count = n;
        return stored.map(rows -> {
            Map<UUID, Long> seqs = new HashMap<>(count * 2);
            for (Row row : rows) {
                seqs.put(row.getUUID(0), row.getLong(1));
            }
            List<List<SentRow>> answers = new ArrayList<>(sendings.size());
            for (Sending sending : sendings) {
                List<SentRow> sent = new ArrayList<>(sending.messages().size());
                for (OutgoingMessage message : sending.messages()) {
                    sent.add(new SentRow(message.messageId(), seqs.get(message.messageId()), false));
                }
                answers.add(sent);
            }
            return answers;
        });
    }

    /**
     * Stores the messages of a FIFO queue whose deduplication keys are new or expired; the others are answered with
     * the first message's id and sequence. Keys must be distinct within the batch. {@code delayMillis} is the queue's
     * (FIFO messages take no delay of their own). {@code reservation} (null: none) runs first in the transaction.
     */
    Future<List<SentRow>> sendFifo(
            long queueId,
            long now,
            String senderId,
            long delayMillis,
            long deduplicationWindowMillis,
            List<OutgoingMessage> messages,
            Pipeline.Step reservation) {
        int n = messages.size();
        UUID[] ids = new UUID[n];
        String[] groups = new String[n];
        String[] deduplicationIds = new String[n];
        String[] keys = new String[n];
        Buffer[] attributes = new Buffer[n];
        String[] bodies = new String[n];
        Buffer[] md5s = new Buffer[n];
        TreeSet<String> lockOrder = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            OutgoingMessage message = messages.get(i);
            ids[i] = message.messageId();
            groups[i] = message.groupId();
            deduplicationIds[i] = message.deduplicationId();
            keys[i] = message.deduplicationKey();
            attributes[i] = message.attributes();
            bodies[i] = message.body();
            md5s[i] = message.md5Column();
            lockOrder.add(message.groupId());
        }
        Tuple fifo = Tuple.of(
                queueId,
                now,
                senderId,
                ids,
                groups,
                deduplicationIds,
                keys,
                attributes,
                bodies,
                deduplicationWindowMillis,
                delayMillis,
                md5s);
        List<Pipeline.Step> steps = new ArrayList<>(3);
        if (reservation != null) {
            steps.add(reservation);
        }
        steps.add(new Pipeline.Step(
                LOCK_GROUPS, Tuple.tuple().addLong(queueId).addArrayOfString(lockOrder.toArray(String[]::new))));
        steps.add(new Pipeline.Step(FIFO, fifo));
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .map(rows -> sentInOrder(ids, keys, rows));
    }

    private static List<SentRow> sentInOrder(UUID[] ids, String[] keys, RowSet<Row> rows) {
        Map<String, Row> byKey = new HashMap<>(keys.length * 2);
        for (Row row : rows) {
            byKey.put(row.getString(0), row);
        }
        List<SentRow> sent = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            Row row = byKey.get(keys[i]);
            UUID stored = row.getUUID(1);
            sent.add(new SentRow(stored, row.getLong(2), !stored.equals(ids[i])));
        }
        return sent;
    }
}
