package dev.sluice.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.transfer.ArchivedDeduplication;
import dev.sluice.queues.transfer.ArchivedMessage;
import dev.sluice.queues.transfer.ArchivedQueue;
import dev.sluice.queues.transfer.QueueArchive;
import io.vertx.core.buffer.Buffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.postgresql.Driver;

/**
 * The PostgreSQL backend's queues and messages as an export reads them and an import writes them: plain JDBC on one
 * connection of its own (the tool runs once, with no server; the reactive pool is for serving), the schema migrated
 * first. Reads share one REPEATABLE READ snapshot. Messages are read in pages by sequence; restored ones are written with their ids, sequence numbers and
 * delivery state in one transaction per call, as one batch of inserts, FIFO groups given their heads; {@code
 * message_seq} is moved past every restored sequence number so later sends sort after them. Queues of the default
 * region have no region in the {@code queue} table, as the server writes them.
 */
public final class PostgresArchive implements QueueArchive {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRINGS = new TypeReference<>() {};

    private static final String QUEUES = """
            select q.id, q.region, q.account_id, q.name, q.attributes::text, q.tags::text, q.created_at,
                   q.last_modified_at,
                   greatest((select max(seq) from message where queue_id = q.id),
                            (select max(seq) from deduplication where queue_id = q.id), 0) + 1
            from queue q where q.deleted_at is null
            order by q.account_id, coalesce(q.region, ''), q.name""";
    private static final String MESSAGES = """
            select seq, message_id::text, body, attributes, sender_id, sent_at, enqueued_at, group_id,
                   deduplication_id, dead_letter_source, receive_count, first_received_at, last_received_at, visible_at
            from message where queue_id = ? and seq > ? order by seq limit ?""";
    private static final String DEDUPLICATIONS = """
            select dedup_key, message_id::text, seq, expires_at from deduplication
            where queue_id = ? and expires_at > ? order by seq""";
    private static final String LIVE_ID = "select id from queue where coalesce(region, '') = ? and account_id = ?"
            + " and name = ? and deleted_at is null";
    private static final List<String> DROP = List.of(
            "update queue set deleted_at = ? where id = ?",
            "delete from message where ? > 0 and queue_id = ?",
            "delete from message_group where ? > 0 and queue_id = ?",
            "delete from deduplication where ? > 0 and queue_id = ?",
            "delete from receive_attempt where ? > 0 and queue_id = ?");
    private static final String INSERT_QUEUE = """
            insert into queue (region, account_id, name, fifo, attributes, tags, dead_letter_target, created_at,
                               last_modified_at)
            values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) returning id""";
    private static final String PAST_SEQUENCE =
            "select setval('message_seq', greatest(?, (select last_value from message_seq)))";
    private static final String INSERT_MESSAGE = """
            insert into message (queue_id, seq, message_id, visible_at, receive_count, first_received_at,
                                 last_received_at, sent_at, enqueued_at, group_id, deduplication_id, sender_id,
                                 dead_letter_source, attributes, body)
            values (?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String GROUP_HEAD = """
            insert into message_group as g (queue_id, group_id, head_seq) values (?, ?, ?)
            on conflict (queue_id, group_id) do update set head_seq = least(g.head_seq, excluded.head_seq)""";
    private static final String INSERT_DEDUPLICATION = """
            insert into deduplication (queue_id, dedup_key, message_id, seq, expires_at) values (?, ?, ?::uuid, ?, ?)
            on conflict (queue_id, dedup_key) do update set message_id = excluded.message_id, seq = excluded.seq,
                expires_at = excluded.expires_at""";

    private final Connection connection;
    private final String defaultRegion;
    private final Map<QueueKey, Restored> restored = new HashMap<>();

    private record Restored(long id, boolean fifo) {}

    private PostgresArchive(Connection connection, String defaultRegion) {
        this.connection = connection;
        this.defaultRegion = defaultRegion;
    }

    /** The database at {@code reactiveUrl} ({@code postgresql://host:port/db}), its schema migrated first. */
    public static PostgresArchive open(String reactiveUrl, String user, String password, String defaultRegion) {
        String jdbcUrl = SchemaMigrations.jdbcUrl(reactiveUrl);
        SchemaMigrations.migrate(jdbcUrl, user, password);
        try {
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            // The driver itself, not DriverManager: the packaged server's class loader is not the one DriverManager
            // searches.
            Connection connection = new Driver().connect(jdbcUrl, properties);
            connection.setAutoCommit(false);
            // An export's reads share one snapshot (they never commit), so a database replicas still write to is
            // exported as it stood at the first read; an import's writes commit batch by batch.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return new PostgresArchive(connection, defaultRegion);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public List<ArchivedQueue> queues() {
        List<ArchivedQueue> queues = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(QUEUES);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String region = rows.getString(2);
                queues.add(new ArchivedQueue(
                        new QueueKey(region == null ? defaultRegion : region, rows.getString(3), rows.getString(4)),
                        strings(rows.getString(5)),
                        strings(rows.getString(6)),
                        rows.getLong(7),
                        rows.getLong(8),
                        rows.getLong(9)));
            }
            return queues;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public List<ArchivedMessage> messages(QueueKey queue, long afterSequence, int max) {
        List<ArchivedMessage> page = new ArrayList<>(max);
        try (PreparedStatement select = connection.prepareStatement(MESSAGES)) {
            select.setLong(1, liveId(queue));
            select.setLong(2, afterSequence);
            select.setInt(3, max);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] encoded = rows.getBytes(4);
                    AttributeCodec.Attributes attributes =
                            AttributeCodec.decode(encoded == null ? null : Buffer.buffer(encoded));
                    page.add(new ArchivedMessage(
                            rows.getString(2),
                            rows.getLong(1),
                            rows.getString(3),
                            attributes.message(),
                            attributes.system(),
                            rows.getString(5),
                            rows.getLong(6),
                            rows.getLong(7),
                            rows.getString(8),
                            rows.getString(9),
                            rows.getString(10),
                            rows.getInt(11),
                            rows.getLong(12),
                            rows.getLong(13),
                            rows.getLong(14)));
                }
            }
            return page;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public List<ArchivedDeduplication> deduplications(QueueKey queue, long nowMillis) {
        List<ArchivedDeduplication> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(DEDUPLICATIONS)) {
            select.setLong(1, liveId(queue));
            select.setLong(2, nowMillis);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    records.add(new ArchivedDeduplication(
                            rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4)));
                }
            }
            return records;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void restoreQueue(ArchivedQueue queue) {
        QueueSettings settings = QueueSettings.of(queue.attributes());
        try {
            long replaced = liveIdOrZero(queue.key());
            for (String statement : DROP) {
                try (PreparedStatement drop = connection.prepareStatement(statement)) {
                    drop.setLong(1, statement.startsWith("update") ? queue.lastModifiedMillis() : replaced);
                    drop.setLong(2, replaced);
                    drop.executeUpdate();
                }
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement(INSERT_QUEUE)) {
                String region = queue.key().region();
                insert.setString(1, region.equals(defaultRegion) ? null : region);
                insert.setString(2, queue.key().accountId());
                insert.setString(3, queue.key().name());
                insert.setBoolean(4, settings.fifo());
                insert.setString(5, json(queue.attributes()));
                insert.setString(6, json(queue.tags()));
                insert.setString(7, QueueCatalogue.deadLetterTarget(settings, defaultRegion));
                insert.setLong(8, queue.createdMillis());
                insert.setLong(9, queue.lastModifiedMillis());
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
            }
            pastSequence(queue.nextSequence() - 1);
            connection.commit();
            restored.put(queue.key(), new Restored(id, settings.fifo()));
        } catch (SQLException e) {
            throw rolledBack(e);
        }
    }

    @Override
    public void restoreMessages(QueueKey queue, List<ArchivedMessage> messages) {
        Restored target = restored(queue);
        Map<String, Long> heads = new TreeMap<>();
        long last = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGE)) {
            for (ArchivedMessage message : messages) {
                insert.setLong(1, target.id());
                insert.setLong(2, message.sequence());
                insert.setString(3, message.messageId());
                insert.setLong(4, message.visibleAtMillis());
                insert.setInt(5, message.receiveCount());
                setMillis(insert, 6, message.firstReceiveMillis());
                setMillis(insert, 7, message.lastReceiveMillis());
                insert.setLong(8, message.sentMillis());
                insert.setLong(9, message.enqueuedMillis());
                insert.setString(10, message.messageGroupId());
                insert.setString(11, message.messageDeduplicationId());
                insert.setString(12, message.senderId());
                insert.setString(13, message.deadLetterSource());
                Buffer attributes = AttributeCodec.encode(message.messageAttributes(), message.systemAttributes());
                insert.setBytes(14, attributes == null ? null : attributes.getBytes());
                insert.setString(15, message.body());
                insert.addBatch();
                if (target.fifo() && message.messageGroupId() != null) {
                    heads.merge(message.messageGroupId(), message.sequence(), Math::min);
                }
                last = Math.max(last, message.sequence());
            }
            insert.executeBatch();
            try (PreparedStatement group = connection.prepareStatement(GROUP_HEAD)) {
                for (Map.Entry<String, Long> head : heads.entrySet()) {
                    group.setLong(1, target.id());
                    group.setString(2, head.getKey());
                    group.setLong(3, head.getValue());
                    group.addBatch();
                }
                group.executeBatch();
            }
            pastSequence(last);
            connection.commit();
        } catch (SQLException e) {
            throw rolledBack(e);
        }
    }

    @Override
    public void restoreDeduplications(QueueKey queue, List<ArchivedDeduplication> deduplications) {
        Restored target = restored(queue);
        long last = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DEDUPLICATION)) {
            for (ArchivedDeduplication dedup : deduplications) {
                insert.setLong(1, target.id());
                insert.setString(2, dedup.key());
                insert.setString(3, dedup.messageId());
                insert.setLong(4, dedup.sequence());
                insert.setLong(5, dedup.expiresAtMillis());
                insert.addBatch();
                last = Math.max(last, dedup.sequence());
            }
            insert.executeBatch();
            pastSequence(last);
            connection.commit();
        } catch (SQLException e) {
            throw rolledBack(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was left uncommitted: every call commits or rolls back
        }
    }

    private long liveId(QueueKey queue) throws SQLException {
        long id = liveIdOrZero(queue);
        if (id == 0) {
            throw new IllegalArgumentException("no queue " + queue);
        }
        return id;
    }

    private long liveIdOrZero(QueueKey queue) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LIVE_ID)) {
            select.setString(1, queue.region().equals(defaultRegion) ? "" : queue.region());
            select.setString(2, queue.accountId());
            select.setString(3, queue.name());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Moves {@code message_seq} so its next value is above {@code sequence} (never back). */
    private void pastSequence(long sequence) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(PAST_SEQUENCE)) {
            set.setLong(1, sequence);
            set.executeQuery().close();
        }
    }

    private Restored restored(QueueKey queue) {
        Restored target = restored.get(queue);
        if (target == null) {
            throw new IllegalStateException("queue " + queue + " was not restored before its messages");
        }
        return target;
    }

    private static void setMillis(PreparedStatement statement, int index, long millis) throws SQLException {
        if (millis == 0) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, millis);
        }
    }

    private static Map<String, String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a queue row holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RuntimeException rolledBack(SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the transaction went with it
        }
        return failed(e);
    }

    private static RuntimeException failed(SQLException e) {
        return new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
    }
}
