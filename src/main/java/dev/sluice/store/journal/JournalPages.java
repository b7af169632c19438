package dev.sluice.store.journal;

import dev.sluice.store.DataDirectory;
import dev.sluice.store.PageStore;
import dev.sluice.store.RecordCodec;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The journal's pages (README, Paged index): page files in {@code pages/} of the data directory, and which are live,
 * per queue in sequence order. A page holds its messages' message records (each with the delivery record stored with it
 * right after it): their slots leave {@link JournalIndex} while the page lives, and their bytes stay counted live.
 *
 * <p>Threads: the index and the live pages are the journal writer's. File work (writing a page, reading one back,
 * deleting) runs on this class's own thread, so a group commit waits only for the index work: a page out collects the
 * messages' places on the writer, writes the file on the pages thread, and commits its PAGE_OUT through the writer,
 * which checks (in {@link Step#admit}) that nothing changed meanwhile. Compaction moving a paged record rewrites the
 * page's entry ({@link PageFile#relocate}, one fsync per page per step) on the writer, right after the copy is synced.
 */
final class JournalPages implements PageStore {
    private static final Logger LOG = Logger.getLogger(JournalPages.class.getName());
    static final String DIRECTORY = "pages";
    private static final String SUFFIX = ".page";
    /** A page out or in redone this often because compaction kept moving its records gives up. */
    private static final int MAX_ATTEMPTS = 20;

    /** How pages reach the journal's writer thread. */
    interface Writer {
        /** Runs {@code task} on the writer thread, between groups; false when the store is closed. */
        boolean run(Runnable task);

        /** Offers a page record to the writer's next group; false when the store is closed. */
        boolean commit(JournalFormat.Frame frame, Step step);
    }

    /** A page record on its way through the writer. */
    interface Step {
        /**
         * On the writer, before the record joins a group: whether it still applies. When not, the step has failed or
         * arranged to be offered again.
         */
        boolean admit();

        /** On the writer, right after {@link #admit}: changes the index; {@code record} is where the record goes. */
        void apply(JournalIndex.Slot record);

        /** The record is durable. */
        void durable();

        /** The write failed; nothing is known about the record. */
        void failed(Throwable cause);
    }

    /** A live page. */
    static final class Page {
        final StoredPage descriptor;
        final Path path;
        /** Its PAGE_OUT record, live while the page is. */
        JournalIndex.Slot record;
        /** Live bytes of its messages' records, by segment (writer thread). */
        final Map<Integer, Long> bytesBySegment = new HashMap<>();
        /** Counts compaction's rewrites of the file, so a page in that read it before one reads it again. */
        volatile int generation;

        volatile boolean live = true;
        /**
         * The opening scan: whether {@link #bytesBySegment} is known (a checkpoint gave it) and still right (no
         * compaction copy of its records followed the checkpoint); otherwise {@link #afterReplay} reads the file.
         */
        boolean counted;

        Page(StoredPage descriptor, Path path) {
            this.descriptor = descriptor;
            this.path = path;
        }

        void addBytes(int segment, long bytes) {
            bytesBySegment.merge(segment, bytes, Long::sum);
        }
    }

    /** A paged message's record in the segment being compacted. */
    record Held(Page page, PageFile.Entry entry) {}

    private final Path directory;
    private final SegmentFiles files;
    private final JournalIndex index;
    private final boolean withBodies;
    private final Writer writer;
    private final ExecutorService io = Executors.newSingleThreadExecutor(runnable ->
            Thread.ofPlatform().name("sluice-journal-pages").daemon().unstarted(runnable));
    private final Map<String, Page> byName = new ConcurrentHashMap<>();
    /** Writer thread: every queue's live pages by first sequence. */
    private final Map<String, TreeMap<Long, Page>> byQueue = new HashMap<>();

    private final AtomicLong nextName = new AtomicLong(1);
    /** Files of pages paged in or dropped by the group being written: deleted once it is synced. */
    private final List<Path> deleteAfterSync = new ArrayList<>();
    /** The segment compaction is copying from, and the paged records in it by location. */
    private int compacting = -1;

    private final Map<Long, Held> held = new HashMap<>();
    private final Map<Page, List<PageFile.Relocation>> relocations = new LinkedHashMap<>();
    /** Time the writer spent on page work (index work of page out and in, relocating pages), and the longest one. */
    private volatile long writerNanos;

    private volatile long longestWriterNanos;

    JournalPages(Path dataDirectory, SegmentFiles files, JournalIndex index, boolean withBodies, Writer writer) {
        this.directory = dataDirectory.resolve(DIRECTORY);
        this.files = files;
        this.index = index;
        this.withBodies = withBodies;
        this.writer = writer;
    }

    Path directory() {
        return directory;
    }

    private Path pathOf(String name) {
        return directory.resolve(name + SUFFIX);
    }

    private String newName() {
        return "%016x".formatted(nextName.getAndIncrement());
    }

    private void noteName(String name) {
        try {
            long number = Long.parseUnsignedLong(name, 16);
            nextName.accumulateAndGet(number + 1, Math::max);
        } catch (NumberFormatException e) {
            // Not one of ours: it cannot collide with a new name.
        }
    }

    private void spent(long startNanos) {
        long took = System.nanoTime() - startNanos;
        writerNanos += took;
        if (took > longestWriterNanos) {
            longestWriterNanos = took;
        }
    }

    /** Time the writer thread spent on page work so far, and the longest piece of it (nanoseconds; measurement). */
    long[] writerNanos() {
        return new long[] {writerNanos, longestWriterNanos};
    }

    /** The live pages, each queue's in sequence order (writer thread, or the opening scan). */
    List<StoredPage> stored() {
        List<StoredPage> pages = new ArrayList<>(byName.size());
        byQueue.values().forEach(queue -> queue.values().forEach(page -> pages.add(page.descriptor)));
        return pages;
    }

    // ---- page out

    @Override
    public CompletionStage<StoredPage> pageOut(String queueId, List<StoredMessage> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a page holds at least one message"));
        }
        long previous = Long.MIN_VALUE;
        for (StoredMessage message : messages) {
            if (!message.queueId().equals(queueId) || message.sequence() <= previous) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "a page holds messages of queue " + queueId + " in ascending sequence order"));
            }
            previous = message.sequence();
        }
        PageOut out = new PageOut(queueId, List.copyOf(messages));
        onPagesThread(out::collectOffWriter, out.done);
        return out.done;
    }

    /** Why these slots cannot be paged, or null: a page keeps a message record and the delivery stored right after it. */
    private static String unpageable(JournalIndex.MessageSlots slots) {
        JournalIndex.Slot message = slots == null ? null : slots.message;
        if (message == null) {
            return "it is not stored";
        }
        JournalIndex.Slot delivery = slots.delivery;
        if (delivery == null || delivery.location() != message.location() + message.length) {
            return "it has a delivery state newer than its message";
        }
        return null;
    }

    private JournalIndex.MessageSlots slots(String queueId, String messageId) {
        JournalIndex.QueueSlots queue = index.queues.get(queueId);
        return queue == null ? null : queue.messages.get(messageId);
    }

    private final class PageOut implements Step {
        final String queueId;
        final List<StoredMessage> messages;
        final CompletableFuture<StoredPage> done = new CompletableFuture<>();
        /** The entries as written, with their places in the file. */
        List<PageFile.Entry> entries;

        StoredPage descriptor;
        JournalFormat.Frame frame;
        int attempts;

        PageOut(String queueId, List<StoredMessage> messages) {
            this.queueId = queueId;
            this.messages = messages;
        }

        /**
         * Pages thread: the messages' places as the index shows them now (its slots are safe to read from any thread;
         * {@link #admit} checks them again on the writer). When one looks unpageable, compaction may have been moving
         * its two records that moment: the writer decides.
         */
        void collectOffWriter() {
            if (collected() == null) {
                write();
            } else if (!writer.run(this::collect)) {
                done.completeExceptionally(closed());
            }
        }

        /** Writer thread: the messages' places, for certain. */
        void collect() {
            long start = System.nanoTime();
            RuntimeException refusal = collected();
            spent(start);
            if (refusal != null) {
                done.completeExceptionally(refusal);
            } else {
                onPagesThread(this::write, done);
            }
        }

        /** Sets {@link #entries} to the messages' places; or returns why one cannot be paged. */
        private RuntimeException collected() {
            List<PageFile.Entry> collected = new ArrayList<>(messages.size());
            for (StoredMessage message : messages) {
                JournalIndex.MessageSlots slots = slots(queueId, message.messageId());
                String why = unpageable(slots);
                if (why != null) {
                    return refused(message.messageId(), why);
                }
                collected.add(new PageFile.Entry(
                        message.sequence(),
                        message.enqueuedMillis(),
                        message.messageId(),
                        slots.message.location(),
                        slots.message.length + slots.delivery.length));
            }
            entries = PageFile.placed(collected);
            return null;
        }

        private IllegalStateException refused(String messageId, String why) {
            return new IllegalStateException(
                    "message " + messageId + " of queue " + queueId + " cannot be paged: " + why);
        }

        /** Pages thread: the file, then the record. */
        void write() {
            String name = newName();
            Path path = pathOf(name);
            try {
                Files.createDirectories(directory);
                PageFile.write(path, entries);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(path);
                done.completeExceptionally(e);
                return;
            }
            long oldest = Long.MAX_VALUE;
            long newest = Long.MIN_VALUE;
            List<String> ids = new ArrayList<>(messages.size());
            for (StoredMessage message : messages) {
                oldest = Math.min(oldest, message.enqueuedMillis());
                newest = Math.max(newest, message.enqueuedMillis());
                ids.add(message.messageId());
            }
            descriptor = new StoredPage(
                    queueId,
                    name,
                    messages.getFirst().sequence(),
                    messages.getLast().sequence(),
                    messages.size(),
                    oldest,
                    newest);
            frame = PageRecords.pageOut(descriptor, ids);
            offer();
        }

        private void offer() {
            if (!writer.commit(frame, this)) {
                refuse(closed());
            }
        }

        @Override
        public boolean admit() {
            long start = System.nanoTime();
            try {
                return admitNow();
            } finally {
                spent(start);
            }
        }

        private boolean admitNow() {
            List<PageFile.Relocation> moved = new ArrayList<>();
            for (PageFile.Entry entry : entries) {
                JournalIndex.MessageSlots slots = slots(queueId, entry.messageId());
                String why = unpageable(slots);
                if (why != null) {
                    refuse(refused(entry.messageId(), why));
                    return false;
                }
                if (slots.message.location() != entry.location()) {
                    moved.add(new PageFile.Relocation(entry, slots.message.location()));
                }
            }
            if (moved.isEmpty()) {
                return true;
            }
            // Compaction copied some of the records since they were collected: point the file at the copies first.
            if (++attempts > MAX_ATTEMPTS) {
                refuse(new IllegalStateException("compaction keeps moving the messages of a page of " + queueId));
            } else {
                onPagesThread(() -> relocateAndOffer(moved), done);
            }
            return false;
        }

        private void relocateAndOffer(List<PageFile.Relocation> moved) {
            try {
                PageFile.open(pathOf(descriptor.name())).relocate(moved);
            } catch (IOException | RuntimeException e) {
                refuse(e);
                return;
            }
            Map<String, Long> locations = new HashMap<>();
            moved.forEach(relocation -> locations.put(relocation.entry().messageId(), relocation.location()));
            List<PageFile.Entry> updated = new ArrayList<>(entries.size());
            for (PageFile.Entry entry : entries) {
                Long location = locations.get(entry.messageId());
                updated.add(
                        location == null
                                ? entry
                                : new PageFile.Entry(
                                        entry.sequence(),
                                        entry.enqueuedMillis(),
                                        entry.messageId(),
                                        location,
                                        entry.length(),
                                        entry.fileOffset()));
            }
            entries = updated;
            offer();
        }

        /** Fails the page out before its record is written: the file goes. */
        private void refuse(Throwable cause) {
            Path path = pathOf(descriptor.name());
            onPagesThread(() -> deleteQuietly(path), null);
            done.completeExceptionally(cause);
        }

        @Override
        public void apply(JournalIndex.Slot record) {
            long start = System.nanoTime();
            List<String> ids = new ArrayList<>(entries.size());
            entries.forEach(entry -> ids.add(entry.messageId()));
            index.deleteMessages(queueId, ids);
            Page page = new Page(descriptor, pathOf(descriptor.name()));
            page.record = record;
            index.hold(record);
            for (PageFile.Entry entry : entries) {
                int segment = JournalIndex.Slot.segment(entry.location());
                page.addBytes(segment, entry.length());
                index.add(segment, entry.length());
                if (segment == compacting) {
                    held.put(entry.location(), new Held(page, entry));
                }
            }
            register(page);
            spent(start);
        }

        @Override
        public void durable() {
            done.complete(descriptor);
        }

        @Override
        public void failed(Throwable cause) {
            // The record may be on disk: the file stays for the next start to judge.
            done.completeExceptionally(cause);
        }
    }

    private void register(Page page) {
        byName.put(page.descriptor.name(), page);
        byQueue.computeIfAbsent(page.descriptor.queueId(), id -> new TreeMap<>())
                .put(page.descriptor.firstSequence(), page);
    }

    /** Forgets a page: its record and its messages' records are no longer live. */
    private void unregister(Page page) {
        page.live = false;
        byName.remove(page.descriptor.name());
        TreeMap<Long, Page> queue = byQueue.get(page.descriptor.queueId());
        if (queue != null) {
            queue.remove(page.descriptor.firstSequence());
            if (queue.isEmpty()) {
                byQueue.remove(page.descriptor.queueId());
            }
        }
        index.release(page.record);
        page.bytesBySegment.forEach((segment, bytes) -> index.add(segment, -bytes));
        page.bytesBySegment.clear();
    }

    // ---- page in

    @Override
    public CompletionStage<List<StoreSnapshot.Entry>> pageIn(StoredPage stored) {
        Page page = byName.get(stored.name());
        if (page == null || !page.descriptor.queueId().equals(stored.queueId())) {
            return CompletableFuture.failedFuture(notStored(stored.name()));
        }
        PageIn in = new PageIn(page);
        onPagesThread(in::read, in.done);
        return in.done;
    }

    /**
     * Reads a page in place, with bodies, for peek and export: the page stays as it is. A page paged in or dropped
     * meanwhile reads as empty; one that compaction rewrote while it was read is read again.
     */
    @Override
    public List<StoreSnapshot.Entry> read(StoredPage stored) {
        Page page = byName.get(stored.name());
        for (int attempt = 0; ; attempt++) {
            if (page == null || !page.live) {
                return List.of();
            }
            int generation = page.generation;
            try {
                return readRecords(page, true, null);
            } catch (IOException | RuntimeException e) {
                if (!page.live) {
                    return List.of();
                }
                if (page.generation == generation || attempt >= MAX_ATTEMPTS) {
                    throw e instanceof IOException io
                            ? new UncheckedIOException("cannot read page " + page.path, io)
                            : (RuntimeException) e;
                }
            }
        }
    }

    /**
     * A page's messages with the delivery states stored with them, in sequence order, read through its file; when
     * {@code places} is given, each message's records' places are added to it.
     */
    private List<StoreSnapshot.Entry> readRecords(Page page, boolean bodies, List<PageRecords.PagedIn> places)
            throws IOException {
        List<PageFile.Entry> read = PageFile.open(page.path).read();
        List<StoreSnapshot.Entry> entries = new ArrayList<>(read.size());
        for (PageFile.Entry entry : read) {
            long location = entry.location();
            byte[] records =
                    files.read(JournalIndex.Slot.segment(location), JournalIndex.Slot.offset(location), entry.length());
            int messageLength = JournalFormat.RECORD_HEADER_BYTES + JournalFormat.getInt(records, 1);
            StoredMessage message = RecordCodec.decodeMessage(
                    records,
                    JournalFormat.RECORD_HEADER_BYTES,
                    messageLength - JournalFormat.RECORD_HEADER_BYTES,
                    bodies);
            StoredDelivery delivery = RecordCodec.decodeDelivery(JournalFormat.recordBody(records, messageLength));
            if (!message.messageId().equals(entry.messageId())
                    || !delivery.messageId().equals(entry.messageId())) {
                throw new IllegalStateException("page " + page.path + " points at another message's record");
            }
            if (places != null) {
                places.add(new PageRecords.PagedIn(
                        entry.sequence(), entry.messageId(), location, messageLength, entry.length() - messageLength));
            }
            entries.add(new StoreSnapshot.Entry(message, delivery));
        }
        return entries;
    }

    private static IllegalStateException notStored(String name) {
        return new IllegalStateException("page " + name + " is not stored (paged in or dropped)");
    }

    private final class PageIn implements Step {
        final Page page;
        final CompletableFuture<List<StoreSnapshot.Entry>> done = new CompletableFuture<>();
        int generation;
        int attempts;
        List<PageRecords.PagedIn> places;
        List<StoreSnapshot.Entry> entries;

        PageIn(Page page) {
            this.page = page;
        }

        /** Pages thread: the file and the records it points at, read again if compaction moved them meanwhile. */
        void read() {
            while (true) {
                generation = page.generation;
                if (!page.live) {
                    done.completeExceptionally(notStored(page.descriptor.name()));
                    return;
                }
                try {
                    readOnce();
                    break;
                } catch (IOException | RuntimeException e) {
                    if (page.generation == generation || ++attempts > MAX_ATTEMPTS) {
                        done.completeExceptionally(e);
                        return;
                    }
                }
            }
            if (!writer.commit(PageRecords.pageIn(page.descriptor.queueId(), page.descriptor.name(), places), this)) {
                done.completeExceptionally(closed());
            }
        }

        private void readOnce() throws IOException {
            List<PageRecords.PagedIn> readPlaces = new ArrayList<>(page.descriptor.count());
            entries = readRecords(page, withBodies, readPlaces);
            places = readPlaces;
        }

        @Override
        public boolean admit() {
            if (!page.live) {
                done.completeExceptionally(notStored(page.descriptor.name()));
                return false;
            }
            if (page.generation != generation) {
                if (++attempts > MAX_ATTEMPTS) {
                    done.completeExceptionally(
                            new IllegalStateException("compaction keeps moving the records of page " + page.path));
                } else {
                    onPagesThread(this::read, done);
                }
                return false;
            }
            return true;
        }

        /**
         * The slots are back and the PAGE_IN record has its place in the journal: the stage completes now, before the
         * record is synced. That is safe because whatever the engine then does to these messages (a delete, a new
         * delivery state) is committed after the PAGE_IN in the journal's order and acknowledged only once it is
         * durable, which makes the PAGE_IN durable too; a write failure refuses every later commit; and the file,
         * which a restart would take them from while the record is not on disk, stays until it is.
         */
        @Override
        public void apply(JournalIndex.Slot record) {
            long start = System.nanoTime();
            putBack(page.descriptor.queueId(), places, false);
            unregister(page);
            spent(start);
            onPagesThread(() -> done.complete(entries), done);
        }

        /** The PAGE_IN record makes the file unnecessary: it goes. */
        @Override
        public void durable() {
            onPagesThread(() -> deleteQuietly(page.path), null);
        }

        /** The write failed after {@link #apply} (the stage may have completed: the store refuses every commit now). */
        @Override
        public void failed(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    /** Puts paged-in messages' slots back into the index. */
    private void putBack(String queueId, List<PageRecords.PagedIn> places, boolean opening) {
        for (PageRecords.PagedIn place : places) {
            int segment = JournalIndex.Slot.segment(place.location());
            int offset = JournalIndex.Slot.offset(place.location());
            index.putMessage(queueId, place.messageId(), new JournalIndex.Slot(segment, offset, place.messageLength()));
            index.putDelivery(
                    queueId,
                    place.messageId(),
                    new JournalIndex.Slot(segment, offset + place.messageLength(), place.deliveryLength()),
                    opening);
        }
    }

    // ---- drops (writer thread, as commits are indexed)

    /** A DropPages change: the pages go with their messages; their files once the record is durable. */
    void drop(String queueId, List<String> names) {
        for (String name : names) {
            Page page = byName.get(name);
            if (page != null && page.descriptor.queueId().equals(queueId)) {
                unregister(page);
                deleteAfterSync.add(page.path);
            }
        }
    }

    /** A DeleteQueue change: every page of the queue goes. */
    void dropQueue(String queueId) {
        TreeMap<Long, Page> queue = byQueue.get(queueId);
        if (queue != null) {
            drop(
                    queueId,
                    queue.values().stream().map(page -> page.descriptor.name()).toList());
        }
    }

    /**
     * After a group is synced: compaction's copies of paged records are durable, so the pages point at them now (one
     * fsync per page, before the old segment can be deleted); files of pages the group paged in or dropped go.
     */
    void afterSync() throws IOException {
        long start = relocations.isEmpty() ? 0 : System.nanoTime();
        for (Map.Entry<Page, List<PageFile.Relocation>> relocated : relocations.entrySet()) {
            Page page = relocated.getKey();
            if (page.live) {
                PageFile.open(page.path).relocate(relocated.getValue());
                page.generation++;
            }
        }
        if (!relocations.isEmpty()) {
            relocations.clear();
            spent(start);
        }
        if (!deleteAfterSync.isEmpty()) {
            List<Path> gone = List.copyOf(deleteAfterSync);
            deleteAfterSync.clear();
            onPagesThread(
                    () -> {
                        gone.forEach(JournalPages::deleteQuietly);
                        SegmentFiles.syncDirectory(directory);
                    },
                    null);
        }
    }

    /** A write failed: what the group would have made unnecessary may still be needed. */
    void writeFailed() {
        deleteAfterSync.clear();
        relocations.clear();
    }

    // ---- compaction (writer thread)

    /** Compaction starts copying {@code segment}: which paged records are in it. */
    void startCompacting(int segment) throws IOException {
        compacting = segment;
        held.clear();
        for (Page page : byName.values()) {
            if (page.bytesBySegment.containsKey(segment)) {
                for (PageFile.Entry entry : PageFile.open(page.path).read()) {
                    if (JournalIndex.Slot.segment(entry.location()) == segment) {
                        held.put(entry.location(), new Held(page, entry));
                    }
                }
            }
        }
    }

    /** The live page holding the message record at {@code location} of the segment being compacted, or null. */
    Held held(long location) {
        Held found = held.get(location);
        return found != null && found.page.live ? found : null;
    }

    /** A paged record was copied to {@code location} (written, not yet synced). */
    void copied(Held copied, long location) {
        Page page = copied.page();
        int length = copied.entry().length();
        int from = JournalIndex.Slot.segment(copied.entry().location());
        int to = JournalIndex.Slot.segment(location);
        page.addBytes(from, -length);
        page.addBytes(to, length);
        if (page.bytesBySegment.get(from) == 0) {
            page.bytesBySegment.remove(from);
        }
        index.add(from, -length);
        index.add(to, length);
        relocations
                .computeIfAbsent(page, p -> new ArrayList<>())
                .add(new PageFile.Relocation(copied.entry(), location));
        held.remove(copied.entry().location());
    }

    /** The PAGE_OUT record of a live page, if it is the one at {@code segment}/{@code offset}. */
    JournalIndex.Slot record(String name, int segment, int offset) {
        Page page = byName.get(name);
        return page != null && page.record != null && page.record.isAt(segment, offset) ? page.record : null;
    }

    /** The segment is about to be deleted: no live page may still point into it. */
    void finishCompacting(int segment) {
        for (Page page : byName.values()) {
            if (page.bytesBySegment.containsKey(segment)) {
                throw new IllegalStateException("page " + page.path + " still points into journal segment " + segment);
            }
        }
        held.clear();
        compacting = -1;
    }

    // ---- replay (the opening scan's applying thread)

    void replayPageOut(PageRecords.PageOut out, JournalIndex.Slot record) {
        StoredPage descriptor = out.page();
        Page known = byName.get(descriptor.name());
        if (known != null) {
            // Compaction's copy of a PAGE_OUT already applied (or given by the checkpoint): the record moved, no more.
            index.release(known.record);
            known.record = record;
            index.hold(record);
            return;
        }
        index.deleteMessages(descriptor.queueId(), out.messageIds());
        Page page = new Page(descriptor, pathOf(descriptor.name()));
        page.record = record;
        index.hold(record);
        register(page);
        noteName(descriptor.name());
    }

    /**
     * The opening scan met compaction's copy of a paged message's records: the page holding it may point at the copy
     * now, so its bytes per segment are counted from its file after the scan.
     */
    void replayPagedCopy(String queueId, long sequence) {
        TreeMap<Long, Page> queue = byQueue.get(queueId);
        Map.Entry<Long, Page> holder = queue == null ? null : queue.floorEntry(sequence);
        if (holder != null && sequence <= holder.getValue().descriptor.lastSequence()) {
            holder.getValue().counted = false;
        }
    }

    // ---- checkpoints

    /** A live page as a checkpoint keeps it: its descriptor, its PAGE_OUT record's place, its records' bytes. */
    record Saved(StoredPage descriptor, long recordLocation, int recordLength, Map<Integer, Long> bytesBySegment) {}

    /** The live pages, copied for a checkpoint (writer thread; page files are consistent with them then). */
    List<Saved> save() {
        List<Saved> saved = new ArrayList<>(byName.size());
        for (TreeMap<Long, Page> queue : byQueue.values()) {
            for (Page page : queue.values()) {
                saved.add(new Saved(
                        page.descriptor, page.record.location(), page.record.length, Map.copyOf(page.bytesBySegment)));
            }
        }
        return saved;
    }

    /** A page a checkpoint kept, before the journal after it is replayed (the opening scan). */
    void restore(Saved saved) {
        StoredPage descriptor = saved.descriptor();
        Page page = new Page(descriptor, pathOf(descriptor.name()));
        page.record = new JournalIndex.Slot(
                JournalIndex.Slot.segment(saved.recordLocation()),
                JournalIndex.Slot.offset(saved.recordLocation()),
                saved.recordLength());
        index.hold(page.record);
        saved.bytesBySegment().forEach((segment, bytes) -> {
            page.addBytes(segment, bytes);
            index.add(segment, bytes);
        });
        page.counted = true;
        register(page);
        noteName(descriptor.name());
    }

    void replayPageIn(PageRecords.PageIn in) {
        Page page = byName.get(in.name());
        if (page != null) {
            unregister(page);
        }
        putBack(in.queueId(), in.messages(), true);
    }

    /**
     * After the opening scan: counts the live pages' records live where their files point, and deletes every file no
     * live page owns (written but never recorded, or paged in or dropped before a crash deleted it).
     */
    void afterReplay() throws IOException {
        deleteAfterSync.clear();
        for (Page page : byName.values()) {
            if (!Files.exists(page.path)) {
                throw new IllegalStateException("page file " + page.path + " is missing; it holds "
                        + page.descriptor.count() + " messages of queue " + page.descriptor.queueId());
            }
            if (page.counted) {
                continue;
            }
            page.bytesBySegment.forEach((segment, bytes) -> index.add(segment, -bytes));
            page.bytesBySegment.clear();
            page.counted = true;
            // A page read here may have had its relocation torn by a power loss: mended first (TornRelocations).
            List<PageFile.Entry> entries = TornRelocations.mend(
                    files,
                    page.descriptor.queueId(),
                    page.path,
                    PageFile.open(page.path).readKeepingTorn());
            for (PageFile.Entry entry : entries) {
                int segment = JournalIndex.Slot.segment(entry.location());
                page.addBytes(segment, entry.length());
                index.add(segment, entry.length());
            }
        }
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> present = Files.list(directory)) {
            for (Path file : present.toList()) {
                String fileName = file.getFileName().toString();
                String name =
                        fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : null;
                if (name != null) {
                    noteName(name);
                }
                if (name == null || !byName.containsKey(name)) {
                    LOG.info("deleting " + file + ": no live page owns it");
                    Files.deleteIfExists(file);
                }
            }
        }
        DataDirectory.restrict(directory);
    }

    // ---- threads

    private void onPagesThread(Runnable work, CompletableFuture<?> failOnRejection) {
        try {
            io.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.WARNING, "page work failed", e);
                    if (failOnRejection != null) {
                        failOnRejection.completeExceptionally(e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            if (failOnRejection != null) {
                failOnRejection.completeExceptionally(closed());
            }
        }
    }

    /** Waits until the file work handed to the pages thread so far is done (tests). */
    void awaitFileWork() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onPagesThread(() -> done.complete(null), done);
        done.join();
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("store is closed");
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + path, e);
        }
    }

    void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while closing the pages", e));
        }
    }
}
