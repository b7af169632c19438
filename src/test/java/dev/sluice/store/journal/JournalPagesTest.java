package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.delivery;
import static dev.sluice.store.StoreContract.put;
import static dev.sluice.store.StoreContract.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's pages (README, Paged index) on real files through a real {@link JournalStore}: page out and in, what a
 * restart brings back, what a crash at each step leaves (torn frames, files left behind), compaction moving paged
 * records, and a replay of a paged journal holding only what the running store held.
 */
class JournalPagesTest {
    private static final String QUEUE = "q-1";

    @TempDir
    Path directory;

    private long segmentBytes = JournalStore.DEFAULT_SEGMENT_BYTES;
    private long checkpointBytes = JournalStore.DEFAULT_CHECKPOINT_BYTES;
    private JournalStore store;

    private JournalStore open() {
        store = new JournalStore(
                directory, JournalStore.Durability.FSYNC, Duration.ofMillis(50), segmentBytes, checkpointBytes);
        return store;
    }

    private JournalStore reopen() {
        store.close();
        return open();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private PageStore pages() {
        return store.pages().orElseThrow();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** Sends {@code count} messages m-from... with sequences from {@code from}; returns them as stored. */
    private List<StoredMessage> send(int from, int count) {
        List<StoredMessage> sent = new ArrayList<>(count);
        List<StoreChange> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            StoreChange.PutMessage put = put(QUEUE, id(i), i);
            batch.add(put);
            sent.add(put.message());
            if (batch.size() == 10) {
                join(store.commit(batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            join(store.commit(batch));
        }
        return sent;
    }

    private static String id(int i) {
        return "m-%06d".formatted(i);
    }

    /** Forty rounds of twenty messages sent and deleted (ids from {@code from}): old segments die, compaction runs. */
    private void sendAndDelete(int from) {
        for (int round = 0; round < 40; round++) {
            List<StoredMessage> churn = send(from + round * 20, 20);
            join(store.commit(new StoreChange.DeleteMessages(QUEUE, idsOf(churn))));
        }
    }

    private List<StoredPage> pageOut(List<StoredMessage> messages, int pageSize) {
        List<StoredPage> paged = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += pageSize) {
            paged.add(join(pages().pageOut(QUEUE, messages.subList(from, Math.min(messages.size(), from + pageSize)))));
        }
        return paged;
    }

    private List<String> pageFiles() throws IOException {
        Path pages = directory.resolve(JournalPages.DIRECTORY);
        if (!Files.isDirectory(pages)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pages)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> ids(List<StoreSnapshot.Entry> entries) {
        return entries.stream().map(entry -> entry.message().messageId()).toList();
    }

    private static List<String> idsOf(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::messageId).toList();
    }

    /** Pages in every page, checks the entries against what was sent and every body read back by id. */
    private void assertPagesHold(List<StoredPage> paged, List<StoredMessage> sent) {
        List<StoreSnapshot.Entry> back = new ArrayList<>();
        for (StoredPage page : paged) {
            back.addAll(join(pages().pageIn(page)));
        }
        assertThat(ids(back)).containsExactlyElementsOf(idsOf(sent));
        for (int i = 0; i < back.size(); i++) {
            StoreSnapshot.Entry entry = back.get(i);
            assertThat(entry.message())
                    .usingRecursiveComparison()
                    .isEqualTo(sent.get(i).withoutBody());
            assertThat(entry.delivery()).isEqualTo(delivery(QUEUE, sent.get(i).messageId(), 0, 0));
            assertThat(store.readBody(QUEUE, entry.message().messageId()))
                    .isEqualTo(sent.get(i).body());
        }
    }

    @Test
    void thousandsOfMessagesPageOutAndBackInOrder() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 5000);

        List<StoredPage> paged = pageOut(sent.subList(0, 4000), 1000);

        assertThat(paged).hasSize(4);
        assertThat(paged.getFirst())
                .satisfies(page -> assertThat(page.queueId()).isEqualTo(QUEUE))
                .satisfies(page -> assertThat(page.firstSequence()).isZero())
                .satisfies(page -> assertThat(page.lastSequence()).isEqualTo(999))
                .satisfies(page -> assertThat(page.count()).isEqualTo(1000))
                .satisfies(page -> assertThat(page.oldestEnqueuedMillis()).isEqualTo(7))
                .satisfies(page -> assertThat(page.newestEnqueuedMillis()).isEqualTo(7));
        assertThat(pageFiles()).hasSize(4);
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent.subList(4000, 5000)));
        assertThat(snapshot.pages()).containsExactlyElementsOf(paged);
        assertThat(store.readBody(QUEUE, id(10)))
                .as("a paged message's body is not readable")
                .isNull();

        assertPagesHold(paged, sent.subList(0, 4000));
        store.awaitPageFiles();
        assertThat(pageFiles()).isEmpty();
        assertThat(store.loadWithoutBodies().messages()).hasSize(5000);
        assertThat(store.loadWithoutBodies().pages()).isEmpty();
    }

    @Test
    void aRestartBringsPagesBackAsPagesAndTheirMessagesPageIn() {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 3000);
        List<StoredPage> paged = pageOut(sent.subList(1000, 3000), 500);

        reopen();

        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactlyElementsOf(paged);
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent.subList(0, 1000)));
        assertPagesHold(paged, sent.subList(1000, 3000));

        reopen();
        snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).isEmpty();
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent));
        assertThat(snapshot.messages())
                .allSatisfy(entry -> assertThat(entry.message().body()).isNull())
                .allSatisfy(entry -> assertThat(entry.delivery().receiveCount()).isZero());
        assertThat(store.readBody(QUEUE, id(2999))).isEqualTo(sent.get(2999).body());
        assertThat(store.load().messages())
                .allSatisfy(entry -> assertThat(entry.message().body()).startsWith("body of m-"));
    }

    @Test
    void droppedPagesAndDeletedQueuesStayGoneAcrossARestart() throws IOException {
        open();
        join(store.commit(List.of(
                new StoreChange.PutQueue(queue(QUEUE, "orders")), new StoreChange.PutQueue(queue("q-2", "other")))));
        List<StoredMessage> sent = send(0, 2000);
        List<StoredPage> paged = pageOut(sent, 500);
        join(store.commit(
                new StoreChange.PutMessage(put("q-2", "other-1", 1).message(), delivery("q-2", "other-1", 0, 0))));
        List<StoredPage> other = List.of(
                join(pages().pageOut("q-2", List.of(put("q-2", "other-1", 1).message()))));

        join(store.commit(new StoreChange.DropPages(
                QUEUE, List.of(paged.get(0).name(), paged.get(2).name()))));
        join(store.commit(new StoreChange.DeleteQueue("q-2")));

        assertThat(store.loadWithoutBodies().pages()).containsExactly(paged.get(1), paged.get(3));
        assertThatThrownBy(() -> join(pages().pageIn(paged.get(0))))
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("not stored");
        assertThatThrownBy(() -> join(pages().pageIn(other.getFirst()))).hasMessageContaining("not stored");

        reopen();
        assertThat(pageFiles())
                .containsExactly(paged.get(1).name() + ".page", paged.get(3).name() + ".page");
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactly(paged.get(1), paged.get(3));
        assertThat(snapshot.messages()).isEmpty();
        assertThat(snapshot.queues()).hasSize(1);
        List<StoredMessage> kept = new ArrayList<>(sent.subList(500, 1000));
        kept.addAll(sent.subList(1500, 2000));
        assertPagesHold(List.of(paged.get(1), paged.get(3)), kept);
    }

    @Test
    void messagesThatAreNotPageableAreRefusedAndNothingChanges() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 10);
        join(store.commit(new StoreChange.PutDelivery(delivery(QUEUE, id(5), 30_000, 1))));

        assertThatThrownBy(() -> join(pages().pageOut(QUEUE, sent)))
                .hasMessageContaining(id(5))
                .hasMessageContaining("delivery state newer");
        StoredMessage neverSent = put(QUEUE, "never", 100).message();
        assertThatThrownBy(() -> join(pages().pageOut(QUEUE, List.of(sent.get(0), neverSent))))
                .hasMessageContaining("not stored");
        assertThatThrownBy(() -> join(pages().pageOut(QUEUE, List.of(sent.get(2), sent.get(1)))))
                .hasMessageContaining("ascending");

        assertThat(pageFiles()).isEmpty();
        assertThat(store.loadWithoutBodies().messages()).hasSize(10);
        assertThat(store.loadWithoutBodies().pages()).isEmpty();
    }

    // ---- crashes at each step

    private Path lastSegment() {
        List<Path> segments = store.segmentFiles();
        return segments.getLast();
    }

    /** Cuts the last {@code bytes} of the last segment off, as a crash in the middle of its last write would. */
    private void tearLastWrite(int bytes) throws IOException {
        Path last = lastSegment();
        store.close();
        store = null;
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - bytes);
        }
    }

    @Test
    void aPageFileNoRecordNamesIsDeletedAtStartAndItsMessagesStay() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 1000);
        pageOut(sent, 1000);
        // The crash came after the rename, before the PAGE_OUT frame was complete.
        tearLastWrite(3);
        Path leftover = directory.resolve(JournalPages.DIRECTORY).resolve("0000000000000001.page.tmp");
        Files.writeString(leftover, "half a page");

        open();

        assertThat(pageFiles()).isEmpty();
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).isEmpty();
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent));
        // A new page does not reuse what the lost one was called.
        StoredPage again = join(pages().pageOut(QUEUE, sent));
        assertThat(again.name()).isNotEqualTo("0000000000000001");
        assertPagesHold(List.of(again), sent);
    }

    @Test
    void aTornPageInLeavesThePageAndACompletePageInItsFileDeletedAtStart() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 1000);
        StoredPage page = pageOut(sent, 1000).getFirst();
        Path file = directory.resolve(JournalPages.DIRECTORY).resolve(page.name() + ".page");
        Path saved = directory.resolve("saved.page");
        Files.copy(file, saved);
        assertThat(join(pages().pageIn(page))).hasSize(1000);
        store.awaitPageFiles();
        assertThat(file).doesNotExist();

        // Crash 1: the PAGE_IN frame torn (so the page file cannot have been deleted yet).
        tearLastWrite(5);
        Files.copy(saved, file);
        open();
        assertThat(store.loadWithoutBodies().pages()).containsExactly(page);
        assertThat(store.loadWithoutBodies().messages()).isEmpty();
        assertThat(join(pages().pageIn(page))).hasSize(1000);

        // Crash 2: the PAGE_IN durable, the file not yet deleted.
        store.close();
        store = null;
        Files.copy(saved, file, StandardCopyOption.REPLACE_EXISTING);
        open();
        assertThat(file).doesNotExist();
        assertThat(store.loadWithoutBodies().pages()).isEmpty();
        assertThat(ids(store.loadWithoutBodies().messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent));
    }

    @Test
    void aDropDurableBeforeItsFileWentDeletesTheFileAtStartAndBringsNothingBack() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 600);
        List<StoredPage> paged = pageOut(sent, 200);
        Path file = pageFile(paged.get(1));
        Path saved = directory.resolve("saved.page");
        Files.copy(file, saved);
        join(store.commit(new StoreChange.DropPages(QUEUE, List.of(paged.get(1).name()))));
        store.close();
        store = null;
        Files.copy(saved, file);

        open();

        assertThat(file).doesNotExist();
        assertThat(store.loadWithoutBodies().pages()).containsExactly(paged.get(0), paged.get(2));
        assertThat(store.loadWithoutBodies().messages()).isEmpty();
    }

    @Test
    void aMissingPageFileThatARecordNeedsIsRefusedAtStart() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        StoredPage page = pageOut(send(0, 10), 10).getFirst();
        store.close();
        store = null;
        Files.delete(directory.resolve(JournalPages.DIRECTORY).resolve(page.name() + ".page"));

        assertThatThrownBy(this::open).hasMessageContaining("is missing").hasMessageContaining("10 messages");
    }

    // ---- compaction

    @Test
    void compactionMovesPagedRecordsAndPointsThePagesAtTheCopies() {
        segmentBytes = 16 * 1024;
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 300);
        List<StoredPage> paged = pageOut(sent.subList(0, 200), 50);
        List<Path> before = store.segmentFiles();
        // Churn: messages sent and deleted, so old segments are mostly dead and compaction copies the paged records.
        sendAndDelete(10_000);
        assertThat(store.segmentsCompacted()).isGreaterThan(before.size());
        assertThat(store.segmentFiles()).doesNotContainAnyElementsOf(before);

        reopen();
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactlyElementsOf(paged);
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent.subList(200, 300)));
        // More churn after the restart: the pages' records move again.
        sendAndDelete(20_000);
        assertPagesHold(paged.subList(0, 2), sent.subList(0, 100));
        sendAndDelete(30_000);

        reopen();
        snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactlyElementsOf(paged.subList(2, 4));
        List<StoredMessage> inMemory = new ArrayList<>(sent.subList(0, 100));
        inMemory.addAll(sent.subList(200, 300));
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(inMemory));
        for (StoreSnapshot.Entry entry : snapshot.messages()) {
            assertThat(store.readBody(QUEUE, entry.message().messageId())).startsWith("body of m-");
        }
        assertPagesHold(paged.subList(2, 4), sent.subList(100, 200));
    }

    /**
     * What a power loss in the middle of {@link PageFile#relocate}'s 12-byte write leaves: the entry's CRC and location
     * half old, half new (here: the location's first four bytes replaced), the rest of the entry as written.
     */
    private static void tearRelocation(Path page, PageFile.Entry entry) throws IOException {
        try (FileChannel channel = FileChannel.open(page, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0x7f, 0x01}), entry.fileOffset() + 4);
        }
    }

    /** Deletes the checkpoints: a start after a power loss that came before one covered the relocations. */
    private void deleteCheckpoints() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".checkpoint")) {
                    Files.delete(file);
                }
            }
        }
    }

    private Path pageFile(StoredPage page) {
        return directory.resolve(JournalPages.DIRECTORY).resolve(page.name() + ".page");
    }

    /** Pages sent messages out on tiny segments and churns until compaction has relocated every paged record. */
    private List<StoredPage> pagesCompactionRelocated(List<StoredMessage> sent) {
        segmentBytes = 16 * 1024;
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        sent.addAll(send(0, 300));
        List<StoredPage> paged = pageOut(sent.subList(0, 200), 50);
        List<Path> before = store.segmentFiles();
        sendAndDelete(10_000);
        assertThat(store.segmentFiles()).as("every paged record relocated").doesNotContainAnyElementsOf(before);
        store.close();
        store = null;
        return paged;
    }

    @Test
    void aRelocationTornByAPowerLossIsMendedAtStartAndEveryPagedMessageComesBack() throws IOException {
        List<StoredMessage> sent = new ArrayList<>();
        List<StoredPage> paged = pagesCompactionRelocated(sent);
        Path first = pageFile(paged.get(0));
        Path third = pageFile(paged.get(2));
        List<PageFile.Entry> firstEntries = PageFile.open(first).read();
        tearRelocation(first, firstEntries.get(0));
        tearRelocation(first, firstEntries.get(17));
        tearRelocation(third, PageFile.open(third).read().get(49));
        assertThatThrownBy(() -> PageFile.open(first).read()).hasMessageContaining("is damaged");
        deleteCheckpoints();

        open();

        assertThat(PageFile.open(first).read())
                .as("the page rewritten, its entries pointing at their records")
                .hasSize(50);
        assertThat(PageFile.open(third).read()).hasSize(50);
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactlyElementsOf(paged);
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent.subList(200, 300)));
        // The records keep moving after the start: the mended page is compacted like any other.
        sendAndDelete(20_000);
        assertPagesHold(paged, sent.subList(0, 200));

        reopen();
        assertThat(store.loadWithoutBodies().pages()).isEmpty();
        assertThat(ids(store.loadWithoutBodies().messages())).containsExactlyInAnyOrderElementsOf(idsOf(sent));
    }

    @Test
    void aDamagedEntryWhoseRecordIsNotInTheJournalStopsTheStartAndSaysWhich() throws IOException {
        List<StoredMessage> sent = new ArrayList<>();
        List<StoredPage> paged = pagesCompactionRelocated(sent);
        Path page = pageFile(paged.get(1));
        PageFile.Entry entry = PageFile.open(page).read().get(3);
        tearRelocation(page, entry);
        // Its id damaged too (not what a torn relocation does): nothing in the journal is this entry's message.
        try (FileChannel channel = FileChannel.open(page, StandardOpenOption.WRITE)) {
            channel.write(
                    java.nio.ByteBuffer.wrap("x".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    entry.fileOffset() + 37);
        }
        deleteCheckpoints();

        assertThatThrownBy(this::open)
                .hasMessageContaining(page.toString())
                .hasMessageContaining("is damaged and its record is not in the journal");
    }

    // ---- checkpoints

    @Test
    void aStartFromACheckpointKeepsItsPagesAndReplaysThePagingAfterIt() {
        segmentBytes = 16 * 1024;
        checkpointBytes = 8 * 1024;
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        List<StoredMessage> sent = send(0, 400);
        List<StoredPage> paged = pageOut(sent.subList(0, 300), 50);
        // Churn after the pages: checkpoints are written, compaction copies the paged records and moves the pages.
        for (int round = 0; round < 30; round++) {
            List<StoredMessage> churn = send(10_000 + round * 20, 20);
            join(store.commit(new StoreChange.DeleteMessages(QUEUE, idsOf(churn))));
        }
        store.awaitCheckpoint();
        // The tail after the last checkpoint: one page in, one more page out, a drop.
        assertPagesHold(paged.subList(0, 1), sent.subList(0, 50));
        StoredPage late = join(pages().pageOut(QUEUE, sent.subList(300, 350)));
        join(store.commit(new StoreChange.DropPages(QUEUE, List.of(paged.get(5).name()))));

        store.closeWithoutCheckpoint(); // as a kill would: what follows the last checkpoint is replayed
        open();

        assertThat(store.startedFrom()).as("the start loaded a checkpoint").isNotNull();
        StoreSnapshot snapshot = store.loadWithoutBodies();
        List<StoredPage> live = new ArrayList<>(paged.subList(1, 5));
        live.add(late);
        assertThat(snapshot.pages()).containsExactlyInAnyOrderElementsOf(live);
        List<StoredMessage> inMemory = new ArrayList<>(sent.subList(0, 50));
        inMemory.addAll(sent.subList(350, 400));
        assertThat(ids(snapshot.messages())).containsExactlyInAnyOrderElementsOf(idsOf(inMemory));
        // The pages' records keep moving after the restart, and every page still reads back whole.
        for (int round = 0; round < 30; round++) {
            List<StoredMessage> churn = send(20_000 + round * 20, 20);
            join(store.commit(new StoreChange.DeleteMessages(QUEUE, idsOf(churn))));
        }
        assertPagesHold(paged.subList(1, 5), sent.subList(50, 250));
        assertPagesHold(List.of(late), sent.subList(300, 350));

        reopen();
        assertThat(store.loadWithoutBodies().pages()).isEmpty();
        assertThat(store.loadWithoutBodies().messages()).hasSize(350);
    }

    @Test
    void pagingWhileCompactionMovesTheRecordsKeepsEveryPageExact() throws Exception {
        segmentBytes = 16 * 1024;
        open();
        join(store.commit(List.of(
                new StoreChange.PutQueue(queue(QUEUE, "orders")), new StoreChange.PutQueue(queue("q-2", "churn")))));
        java.util.concurrent.atomic.AtomicBoolean churning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong churned = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CompletableFuture<Void> churn = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                churn(churning, churned);
                churn.complete(null);
            } catch (RuntimeException | Error e) {
                churn.completeExceptionally(e);
            }
        });
        java.util.ArrayDeque<StoredPage> live = new java.util.ArrayDeque<>();
        java.util.Map<String, List<StoredMessage>> contents = new java.util.HashMap<>();
        List<StoredMessage> pagedIn = new ArrayList<>();
        long compactedBefore = store.segmentsCompacted();
        try {
            for (int round = 0; round < 24; round++) {
                // Each round overlaps some churn, whatever the threads' scheduling.
                long before = churned.get();
                while (churned.get() < before + 5 && !churn.isDone()) {
                    Thread.onSpinWait();
                }
                List<StoredMessage> sent = send(round * 100, 100);
                StoredPage page = join(pages().pageOut(QUEUE, sent));
                live.addLast(page);
                contents.put(page.name(), sent);
                if (round % 3 == 2) {
                    StoredPage oldest = live.removeFirst();
                    List<StoreSnapshot.Entry> back = join(pages().pageIn(oldest));
                    assertThat(ids(back)).containsExactlyElementsOf(idsOf(contents.get(oldest.name())));
                    pagedIn.addAll(contents.get(oldest.name()));
                }
            }
        } finally {
            churning.set(false);
            churn.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(store.segmentsCompacted() - compactedBefore).isGreaterThan(10);

        reopen();
        StoreSnapshot snapshot = store.loadWithoutBodies();
        assertThat(snapshot.pages()).containsExactlyElementsOf(live);
        assertThat(snapshot.messages().stream()
                        .filter(entry -> entry.message().queueId().equals(QUEUE))
                        .map(entry -> entry.message().messageId()))
                .containsExactlyInAnyOrderElementsOf(idsOf(pagedIn));
        for (StoredMessage message : pagedIn) {
            assertThat(store.readBody(QUEUE, message.messageId())).isEqualTo(message.body());
        }
        List<StoredMessage> expected = new ArrayList<>();
        live.forEach(page -> expected.addAll(contents.get(page.name())));
        assertPagesHold(List.copyOf(live), expected);
    }

    /** Sends and deletes messages of another queue until told to stop, so compaction keeps running. */
    private void churn(
            java.util.concurrent.atomic.AtomicBoolean churning, java.util.concurrent.atomic.AtomicLong churned) {
        for (int round = 0; churning.get(); round++) {
            List<StoreChange> batch = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add("c-" + round + "-" + i);
                batch.add(put("q-2", ids.getLast(), round * 10L + i));
            }
            join(store.commit(batch));
            join(store.commit(new StoreChange.DeleteMessages("q-2", ids)));
            churned.incrementAndGet();
        }
    }

    // ---- a replay's memory

    @Test
    void aReplayOfAPagedBacklogHoldsNoMoreMessagesThanTheRunningStoreDid() throws IOException {
        open();
        join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
        // As a paging server would: the newest ready messages paged out whenever a thousand are in memory.
        for (int from = 0; from < 30_000; from += 1000) {
            pageOut(send(from, 1000), 1000);
        }
        List<StoredMessage> window = send(30_000, 500);
        // Without the checkpoint a clean close writes: the whole journal is replayed (as after a crash before one).
        store.close();
        store = null;
        deleteCheckpoints();
        open();
        assertThat(store.startedFrom()).isNull();

        assertThat(store.loadWithoutBodies().pages()).hasSize(30);
        assertThat(ids(store.loadWithoutBodies().messages())).containsExactlyInAnyOrderElementsOf(idsOf(window));
        assertThat(store.openingPeakMessages())
                .as("messages decoded and held at once while replaying 30,500")
                .isLessThan(3_000);
    }
}
