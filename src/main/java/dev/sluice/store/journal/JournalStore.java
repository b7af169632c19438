package dev.sluice.store.journal;

import dev.sluice.store.CommitListener;
import dev.sluice.store.DataDirectory;
import dev.sluice.store.PageStore;
import dev.sluice.store.RecordCodec;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredMoveTask;
import dev.sluice.store.StoredQueue;
import dev.sluice.store.StoredTenant;
import dev.sluice.store.WriterInbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded default store: an append-only journal of segment files, with every live record's place held in memory
 * ({@link JournalIndex}). A commit is encoded into one checksummed frame on the caller's thread; a single writer thread
 * appends all frames that arrived while it was busy with one {@code write} and one {@code fdatasync} (group commit) and
 * only then completes their stages, so many concurrent sends share one sync. At start the segments are read in order
 * to rebuild the state; a torn last frame (a crash mid-write; never acknowledged) is cut off. Dead records are reclaimed
 * by {@link Compactor}, which rides along with the writer's groups.
 *
 * <p>In {@link Durability#BATCHED} mode a commit completes at once and the writer syncs every batch interval.
 */
public final class JournalStore implements Store {
    private static final Logger LOG = Logger.getLogger(JournalStore.class.getName());
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    /** A checkpoint is written once this much journal has been appended since the last (sluice.journal.*). */
    public static final long DEFAULT_CHECKPOINT_BYTES = 256L * 1024 * 1024;
    /**
     * How long a close waits for its checkpoint: a larger index's is given up (the next start replays from the older
     * one), so a stop never hangs on it. About a second per million in-memory messages was measured (bench/notes.md).
     */
    private static final Duration CLOSE_CHECKPOINT_WAIT = Duration.ofSeconds(15);
    /** A group stops taking commits past this many bytes, so one write stays bounded. */
    private static final long MAX_GROUP_BYTES = 16L * 1024 * 1024;

    /** How long an acknowledged write may stay off disk. */
    public enum Durability {
        FSYNC,
        BATCHED
    }

    private sealed interface Work {}

    private record Commit(
            JournalFormat.Frame frame, List<StoreChange> changes, CompletableFuture<Void> done, long offeredNanos)
            implements Work {}

    /** Work that must see the state in the writer's order: reading back the current state. */
    private record Task(Runnable run) implements Work {}

    /** A page record ({@link JournalPages}): admitted, indexed and completed by its step. */
    private record PageWork(JournalFormat.Frame frame, JournalPages.Step step) implements Work {}

    private final SegmentFiles files;
    private final JournalIndex index = new JournalIndex();
    private final JournalPages pages;
    private final Compactor compactor;
    /** The most messages the opening scan held at once. */
    private long openingPeakMessages;
    /** Whether a close writes a checkpoint (tests turn it off to leave the journal as a kill would). */
    private volatile boolean checkpointOnClose = true;
    /** The records the start replayed (after its checkpoint, if it loaded one). */
    private long replayedRecords;

    private final Checkpoints checkpoints;
    /** A start read the whole journal (no usable checkpoint): the writer writes one before anything else. */
    private boolean checkpointAtStart;
    /** The position of the checkpoint the start loaded, or null (the whole journal was read). */
    private Checkpoint.Position startedFrom;
    /** Where the head was when compaction's copies of the segment it finished were synced (until it is deleted). */
    private Checkpoint.Position copiesSyncedAt;

    private final Durability durability;
    private final Duration batchInterval;
    private final long segmentBytes;
    private final WriterInbox<Work> inbox = new WriterInbox<>("sluice-journal-writer", this::writeLoop);
    /** Set when a write or sync failed: the state on disk is unknown, so every later commit fails. */
    private volatile Throwable failure;
    /** What the opening scan read, handed to the first {@link #load()} if nothing was committed since. */
    private final AtomicReference<StoreSnapshot> openingSnapshot = new AtomicReference<>();

    private volatile long groupCommits;
    /** Told about every commit and group commit (metrics). */
    private volatile CommitListener listener = CommitListener.NONE;
    /** The journal's size as the writer last saw it, for metrics read from other threads. */
    private volatile Statistics statistics = new Statistics(0, 0, 0, 0);

    /**
     * The journal as metrics see it: bytes in its segment files, bytes of live records (the rest compaction will
     * reclaim), segment files, and segments reclaimed by compaction since the start.
     */
    public record Statistics(long bytes, long liveBytes, int segments, long segmentsCompacted) {}

    public JournalStore(Path directory, Durability durability, Duration batchInterval) {
        this(directory, durability, batchInterval, DEFAULT_SEGMENT_BYTES);
    }

    /** {@code segmentBytes}: when the head segment is this large a new one starts (small values for tests). */
    public JournalStore(Path directory, Durability durability, Duration batchInterval, long segmentBytes) {
        this(directory, durability, batchInterval, segmentBytes, DEFAULT_CHECKPOINT_BYTES);
    }

    /** {@code checkpointBytes}: a checkpoint is written each time this much journal has been appended since the last. */
    public JournalStore(
            Path directory, Durability durability, Duration batchInterval, long segmentBytes, long checkpointBytes) {
        this.durability = durability;
        this.batchInterval = batchInterval;
        this.segmentBytes = segmentBytes;
        this.files = new SegmentFiles(directory);
        this.pages = new JournalPages(directory, files, index, !readsBodiesBack(), new JournalPages.Writer() {
            @Override
            public boolean run(Runnable task) {
                return inbox.offer(new Task(task));
            }

            @Override
            public boolean commit(JournalFormat.Frame frame, JournalPages.Step step) {
                return inbox.offer(new PageWork(frame, step));
            }
        });
        this.checkpoints = new Checkpoints(directory, checkpointBytes, pages);
        this.compactor = new Compactor(files, index, pages, 2 * segmentBytes, this::checkpointedForDeletion);
        try {
            openingSnapshot.set(open());
        } catch (java.nio.file.AccessDeniedException e) {
            files.close();
            throw DataDirectory.unusable(directory, e);
        } catch (IOException e) {
            files.close();
            throw new UncheckedIOException("cannot read the journal in " + directory, e);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
        updateStatistics();
        inbox.start();
    }

    private void updateStatistics() {
        statistics = new Statistics(
                files.totalBytes(), index.liveBytes(), files.segmentCount(), compactor.segmentsCompacted());
    }

    /** Tells {@code listener} about every commit from now on (metrics); called on the writer thread. */
    public void listen(CommitListener listener) {
        this.listener = listener;
    }

    /** The journal's size, as of the last group commit (or the start). */
    public Statistics statistics() {
        return statistics;
    }

    /** Group commits (appends followed by one sync) so far. */
    public long groupCommits() {
        return groupCommits;
    }

    /** Segments reclaimed by compaction so far. */
    public long segmentsCompacted() {
        return onWriter(compactor::segmentsCompacted);
    }

    /** The segment files present now, oldest first. */
    public List<Path> segmentFiles() {
        return onWriter(() -> files.segments().stream().map(files::path).toList());
    }

    // ---- opening

    private StoreSnapshot open() throws IOException {
        Checkpoint.Position from = checkpoints.load(index, files.existingSegments());
        startedFrom = from;
        JournalReplay replay = new JournalReplay(files, index, pages, !readsBodiesBack());
        long replayStarted = System.nanoTime();
        boolean any = replay.run(from);
        openingPeakMessages = replay.peakMessages();
        replayedRecords = replay.records();
        LOG.info("journal: replayed " + replayedRecords + " records "
                + (from == null ? "(the whole journal)" : "after the checkpoint") + " in "
                + (System.nanoTime() - replayStarted) / 1_000_000 + " ms");
        if (!any) {
            files.startNewHead();
        }
        index.dropDeliveriesWithoutMessage();
        pages.afterReplay();
        // The values of the slots a checkpoint or a PAGE_IN gave as places only, read forward through each segment.
        long valuesStarted = System.nanoTime();
        long valuesRead = SlotValues.read(files, index, !readsBodiesBack());
        if (valuesRead > 0) {
            LOG.info("journal: read " + valuesRead + " records by their places in "
                    + (System.nanoTime() - valuesStarted) / 1_000_000 + " ms");
        }
        checkpointAtStart = from == null && files.totalBytes() > 0;
        return snapshotOfValues();
    }

    /** Where the start's replay began: the checkpoint it loaded, or null when it read the whole journal. */
    Checkpoint.Position startedFrom() {
        return startedFrom;
    }

    // ---- checkpoints (writer thread)

    private Checkpoint.Position head() {
        return new Checkpoint.Position(files.headId(), files.headSize());
    }

    /**
     * Compaction's copies of a segment are synced and the segment is about to go: a replay must never start before
     * the deletion records it holds, so it goes only once a checkpoint after the copies is durable (or, failing that,
     * none is left: a start then reads the whole journal).
     */
    private boolean checkpointedForDeletion() {
        if (copiesSyncedAt == null) {
            copiesSyncedAt = head();
        }
        if (!checkpoints.durableFrom(copiesSyncedAt, index, head())) {
            return false;
        }
        copiesSyncedAt = null;
        return true;
    }

    /**
     * Closes without the checkpoint at close (tests): the data directory is then as a kill would leave it after the
     * last commit, so the next start replays the journal after the last checkpoint written while running.
     */
    void closeWithoutCheckpoint() {
        checkpointOnClose = false;
        close();
    }

    /** Waits until the checkpoint being written, if any, is durable (tests). */
    void awaitCheckpoint() {
        onWriter(() -> {
            checkpoints.awaitWritten();
            return null;
        });
    }

    /**
     * Waits until the files of the pages paged in so far are deleted (tests): a page-in completes before its record is
     * durable, and its file goes only after that.
     */
    void awaitPageFiles() {
        onWriter(() -> null);
        pages.awaitFileWork();
    }

    /** Writer time spent on page work, total and longest (nanoseconds; for measurement). */
    long[] pagingWriterNanos() {
        return pages.writerNanos();
    }

    /** The records the start replayed: after the checkpoint it loaded, or the whole journal's. */
    long replayedRecords() {
        return replayedRecords;
    }

    /** The most messages the opening scan held in memory at once (paged ones leave at their PAGE_OUT). */
    long openingPeakMessages() {
        return openingPeakMessages;
    }

    /**
     * The state the opening scan decoded (every slot has its value by then: those a checkpoint or a PAGE_IN gave as
     * places only were read by {@link SlotValues}); clears the values so only positions stay in memory.
     */
    private StoreSnapshot snapshotOfValues() {
        return snapshot(slot -> {
            Object value = slot.value;
            slot.value = null;
            return value;
        });
    }

    private interface SlotReader {
        Object read(JournalIndex.Slot slot);
    }

    private StoreSnapshot snapshot(SlotReader reader) {
        List<StoredQueue> queues = new ArrayList<>();
        int messages = 0;
        for (JournalIndex.QueueSlots queue : index.queues.values()) {
            messages += queue.messages.size();
        }
        List<StoreSnapshot.Entry> entries = new ArrayList<>(messages);
        List<StoredDeduplication> dedups = new ArrayList<>();
        for (JournalIndex.QueueSlots queue : index.queues.values()) {
            if (queue.queue != null) {
                queues.add((StoredQueue) reader.read(queue.queue));
            }
            for (JournalIndex.MessageSlots message : queue.messages.values()) {
                StoredMessage stored = (StoredMessage) reader.read(message.message);
                Object delivery = reader.read(message.delivery);
                entries.add(new StoreSnapshot.Entry(
                        stored,
                        delivery instanceof DeliveryState state ? state.of(stored) : (StoredDelivery) delivery));
            }
            for (JournalIndex.Slot dedup : queue.deduplications.values()) {
                dedups.add((StoredDeduplication) reader.read(dedup));
            }
        }
        List<StoredMoveTask> tasks = new ArrayList<>();
        index.moveTasks.values().forEach(slot -> tasks.add((StoredMoveTask) reader.read(slot)));
        List<StoredTenant> tenants = new ArrayList<>();
        index.tenants.values().forEach(slot -> tenants.add((StoredTenant) reader.read(slot)));
        List<StoredAccessKey> keys = new ArrayList<>();
        index.accessKeys.values().forEach(slot -> keys.add((StoredAccessKey) reader.read(slot)));
        return new StoreSnapshot(queues, entries, dedups, tasks, tenants, keys, pages.stored());
    }

    /** Reads a live record back from its segment (writer thread only). */
    private Object readValue(JournalIndex.Slot slot, boolean withBody) {
        byte[] record = files.read(slot.segment(), slot.offset(), slot.length);
        return decodeLive(record[0], JournalFormat.recordBody(record, 0), withBody);
    }

    /** The value of a live record of {@code type} whose body is {@code body}. */
    static Object decodeLive(byte type, byte[] body, boolean withBody) {
        return switch (type) {
            case JournalFormat.QUEUE -> RecordCodec.decodeQueue(body);
            case JournalFormat.MESSAGE, JournalFormat.PAGED_MESSAGE -> RecordCodec.decodeMessage(body, withBody);
            case JournalFormat.DELIVERY, JournalFormat.PAGED_DELIVERY -> RecordCodec.decodeDelivery(body);
            case JournalFormat.DEDUPLICATION -> RecordCodec.decodeDeduplication(body);
            case JournalFormat.MOVE_TASK -> RecordCodec.decodeMoveTask(body);
            case JournalFormat.TENANT -> RecordCodec.decodeTenant(body);
            case JournalFormat.ACCESS_KEY -> RecordCodec.decodeAccessKey(body);
            default -> throw new IllegalStateException("no live record of type " + type);
        };
    }

    // ---- the Store contract

    @Override
    public StoreSnapshot load() {
        if (!readsBodiesBack()) {
            StoreSnapshot opening = takeOpeningSnapshot();
            if (opening != null) {
                return opening;
            }
        }
        return onWriter(() -> snapshot(slot -> readValue(slot, true)));
    }

    @Override
    public StoreSnapshot loadWithoutBodies() {
        StoreSnapshot opening = takeOpeningSnapshot();
        if (opening != null) {
            return opening;
        }
        return onWriter(() -> snapshot(slot -> readValue(slot, !readsBodiesBack())));
    }

    private StoreSnapshot takeOpeningSnapshot() {
        return openingSnapshot.getAndSet(null);
    }

    /**
     * In fsync mode a commit completes after its records are written and indexed, so a committed message's body can
     * always be read back; in batched mode it completes before, so the engine keeps bodies.
     */
    @Override
    public boolean readsBodiesBack() {
        return durability == Durability.FSYNC;
    }

    @Override
    public String readBody(String queueId, String messageId) {
        for (int attempt = 0; attempt < 10; attempt++) {
            JournalIndex.QueueSlots queue = index.queues.get(queueId);
            JournalIndex.MessageSlots message = queue == null ? null : queue.messages.get(messageId);
            JournalIndex.Slot slot = message == null ? null : message.message;
            if (slot == null) {
                return null;
            }
            long location = slot.location();
            try {
                byte[] record = files.read(
                        JournalIndex.Slot.segment(location), JournalIndex.Slot.offset(location), slot.length);
                return RecordCodec.decodeMessage(JournalFormat.recordBody(record, 0), true)
                        .body();
            } catch (IllegalStateException | UncheckedIOException e) {
                if (slot.location() == location) {
                    throw e;
                }
                // Compaction moved the record and deleted its old segment meanwhile: look again.
            }
        }
        throw new IllegalStateException("message " + messageId + " keeps moving in the journal");
    }

    /** The journal pages (README, Paged index). */
    @Override
    public java.util.Optional<PageStore> pages() {
        return java.util.Optional.of(pages);
    }

    @Override
    public StoreSnapshot.Accounts loadAccounts() {
        StoreSnapshot opening = openingSnapshot.get();
        if (opening != null) {
            return new StoreSnapshot.Accounts(opening.tenants(), opening.accessKeys());
        }
        return onWriter(() -> {
            List<StoredTenant> tenants = new ArrayList<>();
            index.tenants.values().forEach(slot -> tenants.add((StoredTenant) readValue(slot, false)));
            List<StoredAccessKey> keys = new ArrayList<>();
            index.accessKeys.values().forEach(slot -> keys.add((StoredAccessKey) readValue(slot, false)));
            return new StoreSnapshot.Accounts(tenants, keys);
        });
    }

    @Override
    public CompletionStage<Void> commit(List<StoreChange> changes) {
        JournalFormat.Frame frame = JournalFormat.encode(changes);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!inbox.open()) {
            return CompletableFuture.failedFuture(new IllegalStateException("store is closed"));
        }
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("journal writes failed", failed));
        }
        // What the opening scan read is stale once anything is committed.
        if (openingSnapshot.get() != null) {
            openingSnapshot.set(null);
        }
        if (!inbox.offer(new Commit(frame, changes, done, System.nanoTime()))) {
            return CompletableFuture.failedFuture(new IllegalStateException("store is closed"));
        }
        return durability == Durability.FSYNC ? done : CompletableFuture.completedFuture(null);
    }

    /**
     * Runs {@code work} on the writer thread, between groups, and waits for its result; at once when called there (from
     * something a completed commit ran).
     */
    private <T> T onWriter(Supplier<T> work) {
        if (inbox.onWriterThread()) {
            return work.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        };
        if (!inbox.offer(new Task(task))) {
            task.run();
        }
        return result.join();
    }

    // ---- the writer

    private void writeLoop() {
        if (checkpointAtStart) {
            checkpointAtStart = false;
            try {
                files.syncHead(); // what the start read may be in the page cache only (a crash in batched mode)
                checkpoints.start(index, head());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journal: cannot sync before the first checkpoint", e);
            }
        }
        List<Work> group = new ArrayList<>();
        while (inbox.active()) {
            try {
                if (durability == Durability.BATCHED) {
                    inbox.awaitIntervalOrClose(batchInterval.toMillis());
                    take(group, null);
                } else {
                    Work first = inbox.poll(compactor.active() ? 0 : 100);
                    if (first == null && !compactor.active()) {
                        continue;
                    }
                    take(group, first);
                }
                writeGroup(group);
            } catch (InterruptedException e) {
                inbox.stopTaking();
            } finally {
                group.clear();
            }
        }
        checkpointAtClose();
    }

    /**
     * A clean stop, after the last group: a checkpoint at the journal's end, so the next start replays (almost)
     * nothing. It is written like any other (temporary name, fsync, rename, directory fsync): a kill meanwhile leaves
     * the older checkpoint and a temporary file the next start deletes. {@link #close} waits for it, within a bound.
     */
    private void checkpointAtClose() {
        if (failure != null || !checkpointOnClose) {
            return;
        }
        try {
            files.syncHead(); // batched mode: the last group may not be synced yet
            checkpoints.awaitWritten();
            checkpoints.start(index, head());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "journal: cannot write a checkpoint at close; the next start replays more", e);
        }
    }

    /** Fills the group with what is waiting, up to {@link #MAX_GROUP_BYTES}. */
    private void take(List<Work> group, Work first) {
        long bytes = 0;
        Work next = first != null ? first : inbox.poll();
        while (next != null) {
            group.add(next);
            if (next instanceof Commit commit) {
                bytes += commit.frame().length();
            }
            if (bytes >= MAX_GROUP_BYTES) {
                break;
            }
            next = inbox.poll();
        }
    }

    /**
     * Writes and syncs a group, then completes its commits on this thread. What runs on completion is short (the
     * engine makes the messages receivable and hands each reply to its request's event loop, where it is encoded), so
     * the next group waits little, and a reply costs no extra thread hand-over: at low rates each hand-over is a
     * wake-up on the way to the client.
     */
    private void writeGroup(List<Work> group) {
        long syncNanos = -1;
        long syncedAt = 0;
        long bytes = 0;
        int messages = 0;
        List<Commit> commits = new ArrayList<>(group.size());
        List<Commit> failed = new ArrayList<>(0);
        List<Task> tasks = new ArrayList<>();
        List<PageWork> pageWork = new ArrayList<>(0);
        List<PageWork> pageFailed = new ArrayList<>(0);
        try {
            if (failure == null && files.headSize() >= segmentBytes) {
                files.syncHead();
                files.startNewHead();
            }
            int head = files.headId();
            long start = files.headSize();
            long position = start;
            List<ByteBuffer> buffers = new ArrayList<>(group.size() + 1);
            for (Work work : group) {
                switch (work) {
                    case Commit commit -> {
                        if (failure != null) {
                            failed.add(commit);
                            continue;
                        }
                        messages += index(commit, head, position);
                        buffers.add(commit.frame().buffer());
                        position += commit.frame().length();
                        commits.add(commit);
                    }
                    case Task task -> tasks.add(task);
                    case PageWork page -> {
                        if (failure != null) {
                            pageFailed.add(page);
                            continue;
                        }
                        if (!page.step().admit()) {
                            continue;
                        }
                        JournalFormat.Frame frame = page.frame();
                        page.step()
                                .apply(new JournalIndex.Slot(
                                        head, (int) (position + frame.recordStarts()[0]), frame.recordLength(0)));
                        buffers.add(frame.buffer());
                        position += frame.length();
                        pageWork.add(page);
                    }
                }
            }
            if (failure == null) {
                compactor.maybeStart();
                Compactor.Copy copy = compactor.step();
                long copyOffset = position;
                if (copy != null) {
                    buffers.add(copy.frame().buffer());
                    position += copy.frame().length();
                }
                if (!buffers.isEmpty()) {
                    files.append(buffers.toArray(ByteBuffer[]::new), position - start);
                    if (copy != null) {
                        compactor.relocate(copy, head, copyOffset);
                    }
                    long syncStarted = System.nanoTime();
                    files.syncHead();
                    syncedAt = System.nanoTime();
                    syncNanos = syncedAt - syncStarted;
                    groupCommits++;
                    bytes = position - start;
                }
                pages.afterSync();
                compactor.afterSync();
                if (!buffers.isEmpty()) {
                    updateStatistics();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "journal write failed; the store refuses further commits", e);
            failure = e;
            failed.addAll(commits);
            commits.clear();
            pageFailed.addAll(pageWork);
            pageWork.clear();
            pages.writeFailed();
        }
        // Outside the try: whatever the completions run is not a write failure.
        commits.forEach(commit -> commit.done().complete(null));
        if (bytes > 0 && failure == null && checkpoints.appended(bytes)) {
            checkpoints.start(index, head()); // after the completions: this group's requests do not wait for it
        }
        if (syncNanos >= 0) {
            report(commits, messages, bytes, syncNanos, syncedAt);
        }
        Throwable cause = failure;
        failed.forEach(commit ->
                commit.done().completeExceptionally(new IllegalStateException("journal write failed", cause)));
        pageWork.forEach(page -> page.step().durable());
        pageFailed.forEach(page -> page.step().failed(new IllegalStateException("journal write failed", cause)));
        tasks.forEach(task -> task.run().run());
    }

    private void report(List<Commit> commits, int messages, long bytes, long syncNanos, long syncedAt) {
        CommitListener listener = this.listener;
        if (listener == CommitListener.NONE || commits.isEmpty()) {
            return;
        }
        for (Commit commit : commits) {
            listener.committed(syncedAt - commit.offeredNanos());
        }
        listener.synced(commits.size(), messages, bytes, syncNanos);
    }

    /**
     * Points the index at the records of a commit that will be written at {@code frameStart} of the head; returns how
     * many messages it puts.
     */
    private int index(Commit commit, int segment, long frameStart) {
        int[] starts = commit.frame().recordStarts();
        int record = 0;
        int messages = 0;
        for (StoreChange change : commit.changes()) {
            switch (change) {
                case StoreChange.PutQueue put ->
                    index.putQueue(put.queue().queueId(), slot(commit, segment, frameStart, record++));
                case StoreChange.DeleteQueue delete -> {
                    index.deleteQueue(delete.queueId());
                    pages.dropQueue(delete.queueId());
                    record++;
                }
                case StoreChange.PutMessage put -> {
                    messages++;
                    String queueId = put.message().queueId();
                    String messageId = put.message().messageId();
                    index.putMessage(queueId, messageId, slot(commit, segment, frameStart, record++));
                    index.putDelivery(queueId, messageId, slot(commit, segment, frameStart, record++), false);
                }
                case StoreChange.PutDelivery put ->
                    index.putDelivery(
                            put.delivery().queueId(),
                            put.delivery().messageId(),
                            slot(commit, segment, frameStart, record++),
                            false);
                case StoreChange.DeleteMessages delete -> {
                    index.deleteMessages(delete.queueId(), delete.messageIds());
                    record++;
                }
                case StoreChange.PutDeduplication put ->
                    index.putDeduplication(
                            put.deduplication().queueId(),
                            put.deduplication().key(),
                            slot(commit, segment, frameStart, record++));
                case StoreChange.DeleteDeduplications delete -> {
                    index.deleteDeduplications(delete.queueId(), delete.keys());
                    record++;
                }
                case StoreChange.PutMoveTask put ->
                    index.put(index.moveTasks, put.task().taskHandle(), slot(commit, segment, frameStart, record++));
                case StoreChange.PutTenant put ->
                    index.put(index.tenants, put.tenant().accountId(), slot(commit, segment, frameStart, record++));
                case StoreChange.DeleteTenant delete -> {
                    index.remove(index.tenants, delete.accountId());
                    record++;
                }
                case StoreChange.PutAccessKey put ->
                    index.put(index.accessKeys, put.key().accessKeyId(), slot(commit, segment, frameStart, record++));
                case StoreChange.DeleteAccessKey delete -> {
                    index.remove(index.accessKeys, delete.accessKeyId());
                    record++;
                }
                case StoreChange.DropPages drop -> {
                    pages.drop(drop.queueId(), drop.pageNames());
                    record++;
                }
            }
        }
        assert record == starts.length - 1;
        return messages;
    }

    private static JournalIndex.Slot slot(Commit commit, int segment, long frameStart, int record) {
        JournalFormat.Frame frame = commit.frame();
        return new JournalIndex.Slot(
                segment, (int) (frameStart + frame.recordStarts()[record]), frame.recordLength(record));
    }

    @Override
    public void close() {
        if (!inbox.close(30_000)) {
            return;
        }
        pages.close();
        try {
            compactor.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the compactor", e);
        }
        checkpoints.close(CLOSE_CHECKPOINT_WAIT);
        files.close();
    }
}
