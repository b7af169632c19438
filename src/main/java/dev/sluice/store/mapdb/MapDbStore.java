package dev.sluice.store.mapdb;

import dev.sluice.store.DataDirectory;
import dev.sluice.store.DataDirectoryException;
import dev.sluice.store.RecordCodec;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredMoveTask;
import dev.sluice.store.StoredTenant;
import dev.sluice.store.WriterInbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The embedded default store: one MapDB file with a write-ahead log. A single writer thread takes every commit that
 * arrived while the previous one was being written, applies them all and calls {@code db.commit()} once (group commit):
 * many concurrent sends share one fsync. In {@link Durability#FSYNC} mode a commit's stage completes after that; in
 * {@link Durability#BATCHED} mode it completes at once and the writer commits every interval.
 */
public final class MapDbStore implements Store {
    private static final Logger LOG = Logger.getLogger(MapDbStore.class.getName());
    /** The store's file in its data directory. */
    public static final String FILE_NAME = "sluice.mapdb";

    private static final int MAX_COMMITS_PER_GROUP = 4096;
    /** How long a lone commit waits for company: far less than the fsync it would otherwise take alone. */
    private static final long GATHER_NANOS = 200_000;

    /** How long an acknowledged write may stay off disk. */
    public enum Durability {
        FSYNC,
        BATCHED
    }

    private record Pending(List<StoreChange> changes, CompletableFuture<Void> done) {}

    private final DB db;
    private final BTreeMap<String, byte[]> queues;
    private final BTreeMap<String, byte[]> messages;
    private final BTreeMap<String, byte[]> deliveries;
    private final BTreeMap<String, byte[]> deduplications;
    private final BTreeMap<String, byte[]> moveTasks;
    private final BTreeMap<String, byte[]> tenants;
    private final BTreeMap<String, byte[]> accessKeys;
    private final Durability durability;
    private final Duration batchInterval;
    private final WriterInbox<Pending> inbox = new WriterInbox<>("sluice-mapdb-writer", this::writeLoop);

    /**
     * Completes commits off the writer thread: a commit's waiters build and send replies, wake long polls and so on,
     * and on the writer that work would sit between one fsync and the next (it was an eighth of the writer's time).
     */
    private final ExecutorService completions = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("sluice-mapdb-completions").daemon().factory());

    private volatile long groupCommits;
    private volatile long committedChanges;

    public MapDbStore(Path directory, Durability durability, Duration batchInterval) {
        this.durability = durability;
        this.batchInterval = batchInterval;
        DataDirectory.prepare(directory);
        try {
            this.db = DBMaker.fileDB(directory.resolve(FILE_NAME).toFile())
                    .transactionEnable()
                    .fileMmapEnableIfSupported()
                    .fileMmapPreclearDisable()
                    .allocateIncrement(32L * 1024 * 1024)
                    .make();
        } catch (DBException.FileLocked e) {
            throw new DataDirectoryException("the data directory " + directory.toAbsolutePath()
                    + " is in use by another Sluice process (it holds " + FILE_NAME + "); stop that one or choose"
                    + " another sluice.data-dir");
        }
        restrictFiles(directory);
        this.queues =
                db.treeMap("queues", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        // Bodies live outside the B-tree nodes: inline, every insert would rewrite a node of up to 32 bodies.
        this.messages = db.treeMap("messages", Serializer.STRING, Serializer.BYTE_ARRAY)
                .valuesOutsideNodesEnable()
                .createOrOpen();
        this.deliveries = db.treeMap("deliveries", Serializer.STRING, Serializer.BYTE_ARRAY)
                .createOrOpen();
        this.deduplications = db.treeMap("deduplications", Serializer.STRING, Serializer.BYTE_ARRAY)
                .createOrOpen();
        this.moveTasks = db.treeMap("moveTasks", Serializer.STRING, Serializer.BYTE_ARRAY)
                .createOrOpen();
        this.tenants =
                db.treeMap("tenants", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        this.accessKeys = db.treeMap("accessKeys", Serializer.STRING, Serializer.BYTE_ARRAY)
                .createOrOpen();
        db.commit();
        inbox.start();
    }

    /** MapDB creates its files (the store and its write-ahead logs) with the default mode: make them owner-only. */
    private static void restrictFiles(Path directory) {
        try (var files = Files.list(directory)) {
            files.filter(file -> file.getFileName().toString().startsWith(FILE_NAME))
                    .forEach(DataDirectory::restrict);
        } catch (java.io.IOException e) {
            throw DataDirectory.unusable(directory, e);
        }
    }

    /** Group commits written so far. */
    public long groupCommits() {
        return groupCommits;
    }

    /** Changes written so far; divided by {@link #groupCommits()} it gives the changes per fsync. */
    public long committedChanges() {
        return committedChanges;
    }

    @Override
    public StoreSnapshot load() {
        List<dev.sluice.store.StoredQueue> storedQueues = new ArrayList<>();
        for (byte[] bytes : queues.values()) {
            storedQueues.add(RecordCodec.decodeQueue(bytes));
        }
        List<StoreSnapshot.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : messages.entrySet()) {
            StoredMessage message = RecordCodec.decodeMessage(entry.getValue());
            byte[] delivery = deliveries.get(entry.getKey());
            if (delivery != null) {
                entries.add(new StoreSnapshot.Entry(message, RecordCodec.decodeDelivery(delivery)));
            }
        }
        List<StoredDeduplication> dedups = new ArrayList<>();
        for (byte[] bytes : deduplications.values()) {
            dedups.add(RecordCodec.decodeDeduplication(bytes));
        }
        List<StoredMoveTask> tasks = new ArrayList<>();
        for (byte[] bytes : moveTasks.values()) {
            tasks.add(RecordCodec.decodeMoveTask(bytes));
        }
        StoreSnapshot.Accounts accounts = loadAccounts();
        return new StoreSnapshot(storedQueues, entries, dedups, tasks, accounts.tenants(), accounts.accessKeys());
    }

    @Override
    public StoreSnapshot.Accounts loadAccounts() {
        List<StoredTenant> storedTenants = new ArrayList<>();
        for (byte[] bytes : tenants.values()) {
            storedTenants.add(RecordCodec.decodeTenant(bytes));
        }
        List<StoredAccessKey> storedKeys = new ArrayList<>();
        for (byte[] bytes : accessKeys.values()) {
            storedKeys.add(RecordCodec.decodeAccessKey(bytes));
        }
        return new StoreSnapshot.Accounts(storedTenants, storedKeys);
    }

    @Override
    public CompletionStage<Void> commit(List<StoreChange> changes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!inbox.offer(new Pending(changes, done))) {
            return CompletableFuture.failedFuture(new IllegalStateException("store is closed"));
        }
        return durability == Durability.FSYNC ? done : CompletableFuture.completedFuture(null);
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (inbox.active()) {
            try {
                if (durability == Durability.BATCHED) {
                    inbox.awaitIntervalOrClose(batchInterval.toMillis());
                } else {
                    Pending first = inbox.poll(100);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    if (inbox.isEmpty()) {
                        // A moment's wait lets requests that are on their way share this fsync (group commit).
                        LockSupport.parkNanos(GATHER_NANOS);
                    }
                }
                inbox.drainTo(group, MAX_COMMITS_PER_GROUP);
                if (!group.isEmpty()) {
                    writeGroup(group);
                }
            } catch (InterruptedException e) {
                inbox.stopTaking();
            } finally {
                group.clear();
            }
        }
    }

    private void writeGroup(List<Pending> group) {
        try {
            int count = 0;
            for (Pending pending : group) {
                for (StoreChange change : pending.changes()) {
                    apply(change);
                    count++;
                }
            }
            db.commit();
            groupCommits++;
            committedChanges += count;
            List<Pending> done = List.copyOf(group);
            completions.execute(() -> done.forEach(pending -> pending.done().complete(null)));
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "MapDB commit failed; rolling back " + group.size() + " commits", e);
            try {
                db.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            List<Pending> failed = List.copyOf(group);
            completions.execute(() -> failed.forEach(pending -> pending.done().completeExceptionally(e)));
        }
    }

    private void apply(StoreChange change) {
        switch (change) {
            case StoreChange.PutQueue put -> queues.put(put.queue().queueId(), RecordCodec.encode(put.queue()));
            case StoreChange.DeleteQueue delete -> {
                queues.remove(delete.queueId());
                removeRange(messages, delete.queueId());
                removeRange(deliveries, delete.queueId());
                removeRange(deduplications, delete.queueId());
            }
            case StoreChange.PutDeduplication put ->
                deduplications.put(
                        key(put.deduplication().queueId(), put.deduplication().key()),
                        RecordCodec.encode(put.deduplication()));
            case StoreChange.DeleteDeduplications delete -> {
                for (String dedupKey : delete.keys()) {
                    deduplications.remove(key(delete.queueId(), dedupKey));
                }
            }
            case StoreChange.PutMoveTask put -> moveTasks.put(put.task().taskHandle(), RecordCodec.encode(put.task()));
            case StoreChange.PutMessage put -> {
                String key = key(put.message().queueId(), put.message().messageId());
                messages.put(key, RecordCodec.encode(put.message()));
                deliveries.put(key, RecordCodec.encode(put.delivery()));
            }
            case StoreChange.PutDelivery put -> {
                StoredDelivery delivery = put.delivery();
                String key = key(delivery.queueId(), delivery.messageId());
                if (messages.containsKey(key)) {
                    deliveries.put(key, RecordCodec.encode(delivery));
                }
            }
            case StoreChange.PutTenant put -> tenants.put(put.tenant().accountId(), RecordCodec.encode(put.tenant()));
            case StoreChange.DeleteTenant delete -> tenants.remove(delete.accountId());
            case StoreChange.PutAccessKey put -> accessKeys.put(put.key().accessKeyId(), RecordCodec.encode(put.key()));
            case StoreChange.DeleteAccessKey delete -> accessKeys.remove(delete.accessKeyId());
            case StoreChange.DropPages drop ->
                throw new IllegalArgumentException("the MapDB store does not page: no pages to drop");
            case StoreChange.DeleteMessages delete -> {
                for (String messageId : delete.messageIds()) {
                    String key = key(delete.queueId(), messageId);
                    messages.remove(key);
                    deliveries.remove(key);
                }
            }
        }
    }

    private static String key(String queueId, String messageId) {
        return queueId + '/' + messageId;
    }

    /** Removes every key of one queue: they all sort between "queueId/" and "queueId0" ('0' follows '/'). */
    private static void removeRange(BTreeMap<String, byte[]> map, String queueId) {
        map.subMap(queueId + '/', true, queueId + '0', false).clear();
    }

    @Override
    public void close() {
        if (!inbox.close(10_000)) {
            return;
        }
        completions.shutdown();
        try {
            completions.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
