package dev.sluice.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.DataDirectoryException;
import dev.sluice.store.DurableStoreContract;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.memory.InMemoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durable store contract on the journal, plus what is particular to it: a torn last write is cut off, damage
 * elsewhere is refused, one process per directory, and compaction (forced early by tiny segments) keeps exactly the
 * live state — checked against {@link InMemoryStore} over random histories with reopens in between.
 */
class JournalStoreTest extends DurableStoreContract {
    /** Small enough that a few commits fill a segment, so compaction runs all the time. */
    private static final long TINY_SEGMENT = 4 * 1024;

    private long segmentBytes = JournalStore.DEFAULT_SEGMENT_BYTES;
    private long checkpointBytes = JournalStore.DEFAULT_CHECKPOINT_BYTES;

    @Override
    protected JournalStore openStore() {
        return openStore(directory);
    }

    private JournalStore openStore(Path directory) {
        return new JournalStore(
                directory, JournalStore.Durability.FSYNC, BATCH_INTERVAL, segmentBytes, checkpointBytes);
    }

    @Override
    protected JournalStore openBatched(Duration interval) {
        return new JournalStore(directory, JournalStore.Durability.BATCHED, interval, segmentBytes, checkpointBytes);
    }

    @Override
    protected long groupCommits() {
        return journal().groupCommits();
    }

    private JournalStore journal() {
        return (JournalStore) store;
    }

    /** Closes as a kill after the last commit would leave the journal (no checkpoint at close), and opens again. */
    private void reopenAfterACrash() {
        journal().closeWithoutCheckpoint();
        store = openStore();
    }

    private Path lastSegment() {
        List<Path> segments = journal().segmentFiles();
        return segments.get(segments.size() - 1);
    }

    @Test
    void aTornLastWriteIsCutOffAndTheJournalGoesOn() throws IOException {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        Path segment = lastSegment();
        store.close();
        long intact = Files.size(segment);
        // Half a frame: a header announcing 500 bytes, and only 20 of them.
        ByteBuffer torn = ByteBuffer.allocate(28).putInt(500).putInt(12345);
        Files.write(segment, torn.array(), StandardOpenOption.APPEND);

        store = openStore();

        assertThat(store.load().messages())
                .extracting(e -> e.message().messageId())
                .containsExactly("m-1");
        assertThat(Files.size(segment)).isEqualTo(intact);
        commit(put("q-1", "m-2", 2));
        reopen();
        assertThat(store.load().messages()).hasSize(2);
    }

    @Test
    void aLastFrameWithAWrongChecksumIsDroppedAndEarlierOnesKept() throws IOException {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        Path segment = lastSegment();
        long firstFrames = Files.size(segment);
        commit(put("q-1", "m-2", 2));
        journal().closeWithoutCheckpoint(); // a crash: the damaged frame is in the tail a start replays
        flipByte(segment, firstFrames + 20);

        store = openStore();

        assertThat(store.load().messages())
                .extracting(e -> e.message().messageId())
                .containsExactly("m-1");
    }

    @Test
    void damageBeforeTheLastSegmentIsRefusedRatherThanSkipped() throws IOException {
        segmentBytes = TINY_SEGMENT;
        store.close();
        store = openStore();
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        for (int i = 0; i < 40; i++) {
            commit(put("q-1", "m-" + i, i));
        }
        List<Path> segments = journal().segmentFiles();
        assertThat(segments).hasSizeGreaterThan(2);
        journal().closeWithoutCheckpoint(); // a crash before any checkpoint: a start reads every segment
        store = null;
        flipByte(segments.get(0), 30);

        assertThatThrownBy(this::openStore)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is damaged");
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        assertThatThrownBy(this::openStore)
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("is in use by another Sluice process")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theDirectoryAndEveryFileAreOwnerOnly() throws IOException {
        Path fresh = directory.resolve("fresh");
        store.close();
        directory = fresh;
        segmentBytes = TINY_SEGMENT;
        store = openStore();
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        for (int i = 0; i < 40; i++) {
            commit(put("q-1", "m-" + i, i));
        }
        assertThat(journal().segmentFiles()).as("new segments were started").hasSizeGreaterThan(2);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rwx------");
        try (var files = Files.list(fresh)) {
            assertThat(files.toList())
                    .allSatisfy(file -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as(file.toString())
                            .isEqualTo("rw-------"));
        }
    }

    @Test
    void aDirectoryOpenToOthersIsMadeOwnerOnly() throws IOException {
        store.close();
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

        store = openStore();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRefusedInOneLine() throws IOException {
        store.close();
        store = null;
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
        directory = file;

        assertThatThrownBy(this::openStore)
                .isInstanceOf(DataDirectoryException.class)
                .hasMessage("the data directory " + file + " is not a directory; set sluice.data-dir to a directory");
    }

    @Test
    void compactionReclaimsDeletedMessagesAndKeepsTheLiveOnes() {
        segmentBytes = TINY_SEGMENT;
        store.close();
        store = openStore();
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "kept", 0));
        for (int i = 1; i <= 400; i++) {
            commit(put("q-1", "m-" + i, i));
            commit(new StoreChange.PutDelivery(delivery("q-1", "kept", i, i)));
            commit(new StoreChange.DeleteMessages("q-1", List.of("m-" + i)));
        }

        assertThat(journal().segmentsCompacted()).isPositive();
        assertThat(journal().segmentFiles()).hasSizeLessThan(10);
        StoreSnapshot before = store.load();
        assertThat(before.messages())
                .singleElement()
                .satisfies(entry -> assertThat(entry.delivery().receiveCount()).isEqualTo(400));
        reopen();
        assertSnapshot(store.load(), before.queues(), before.messages());
    }

    @Test
    void bodiesAreReadBackWhileCompactionMovesTheirRecords() throws Exception {
        segmentBytes = TINY_SEGMENT;
        store.close();
        store = openStore();
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        for (int i = 0; i < 20; i++) {
            commit(put("q-1", "kept-" + i, i));
        }
        assertThat(store.readsBodiesBack()).isTrue();
        java.util.concurrent.atomic.AtomicBoolean churning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.Future<?> reader = java.util.concurrent.Executors.newSingleThreadExecutor()
                .submit(() -> {
                    while (churning.get()) {
                        for (int i = 0; i < 20; i++) {
                            assertThat(store.readBody("q-1", "kept-" + i)).isEqualTo("body of kept-" + i);
                            reads.incrementAndGet();
                        }
                    }
                    return null;
                });
        try {
            for (int i = 0; i < 600; i++) {
                commit(put("q-1", "gone-" + i, 100 + i));
                commit(new StoreChange.DeleteMessages("q-1", List.of("gone-" + i)));
            }
        } finally {
            churning.set(false);
        }
        reader.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(journal().segmentsCompacted()).isGreaterThan(5);
        assertThat(reads.get()).isPositive();
        assertThat(store.readBody("q-1", "gone-1")).isNull();
        assertThat(store.readBody("q-2", "kept-1")).isNull();
    }

    @Test
    void batchedModeKeepsBodiesInTheEngine() {
        store.close();
        store = openBatched(BATCH_INTERVAL);

        assertThat(store.readsBodiesBack()).isFalse();
    }

    /**
     * Random histories of every kind of change, applied to the journal (tiny segments: compaction copies records
     * forward constantly, so a message's record often lands after its newer delivery state) and to the in-memory
     * store; the journal is closed and reopened every so often and must always hold what the in-memory store holds.
     * Checkpoints are written all the time too (every 2 KiB and before each compacted segment goes): each reopen
     * starts from one and the tail after it, and must give exactly what a start reading the whole journal gives.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomHistoriesWithCompactionAndReopensMatchTheInMemoryStore(long seed) throws IOException {
        segmentBytes = TINY_SEGMENT;
        checkpointBytes = 2 * 1024;
        store.close();
        store = openStore();
        InMemoryStore model = new InMemoryStore();
        Random random = new Random(seed);
        List<String> queueIds = List.of("q-1", "q-2", "q-10");
        List<String> live = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        int nextMessage = 0;
        long compacted = 0;
        for (int step = 0; step < 1500; step++) {
            String queueId = queueIds.get(random.nextInt(queueIds.size()));
            List<StoreChange> changes = new ArrayList<>();
            int kind = random.nextInt(100);
            if (kind < 3) {
                changes.add(new StoreChange.PutQueue(queue(queueId, "name-" + step)));
            } else if (kind < 4) {
                changes.add(new StoreChange.DeleteQueue(queueId));
                live.removeIf(key -> key.startsWith(queueId + "/"));
            } else if (kind < 34) {
                String messageId = "m-" + nextMessage++;
                changes.add(put(queueId, messageId, nextMessage));
                live.add(queueId + "/" + messageId);
            } else if (kind < 37 && !gone.isEmpty()) {
                // The engine may record a delivery of a message deleted meanwhile; the store must ignore it.
                String[] key = gone.get(random.nextInt(gone.size())).split("/");
                changes.add(new StoreChange.PutDelivery(delivery(key[0], key[1], step, 1)));
            } else if (kind < 55 && !live.isEmpty()) {
                String[] key = live.get(random.nextInt(live.size())).split("/");
                changes.add(new StoreChange.PutDelivery(delivery(key[0], key[1], step, random.nextInt(5))));
            } else if (kind < 85 && !live.isEmpty()) {
                String key = live.remove(random.nextInt(live.size()));
                gone.add(key);
                String[] parts = key.split("/");
                changes.add(new StoreChange.DeleteMessages(parts[0], List.of(parts[1])));
            } else if (kind < 92) {
                changes.add(new StoreChange.PutDeduplication(deduplication(queueId, "d-" + random.nextInt(20), step)));
            } else if (kind < 95) {
                changes.add(new StoreChange.DeleteDeduplications(queueId, List.of("d-" + random.nextInt(20))));
            } else if (kind < 97) {
                changes.add(new StoreChange.PutMoveTask(moveTask("task-" + random.nextInt(3), "RUNNING", step)));
            } else if (kind < 98) {
                changes.add(new StoreChange.PutTenant(tenant("11111111111" + random.nextInt(3), step, null)));
            } else if (kind < 99) {
                changes.add(new StoreChange.PutAccessKey(accessKey("AKID" + random.nextInt(3), "111111111110")));
            } else {
                changes.add(new StoreChange.DeleteAccessKey("AKID" + random.nextInt(3)));
            }
            join(store.commit(changes));
            join(model.commit(changes));
            if (step % 300 == 299) {
                compacted += journal().segmentsCompacted();
                reopen();
                assertThat(journal().startedFrom())
                        .as("a start from a checkpoint")
                        .isNotNull();
                StoreSnapshot fromCheckpoint = store.load();
                assertSameState(fromCheckpoint, model.load());
                assertSameState(fromCheckpoint, wholeJournalRead());
            }
        }
        assertThat(compacted + journal().segmentsCompacted()).isPositive();
        assertSameState(store.load(), model.load());
        reopen();
        assertSameState(store.load(), model.load());
    }

    /** The state a start that reads every segment (no checkpoint) finds in a copy of the directory. */
    private StoreSnapshot wholeJournalRead() throws IOException {
        Path copy = Files.createTempDirectory(directory.getParent(), "whole-journal-");
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".journal")) {
                    Files.copy(file, copy.resolve(name));
                }
            }
        }
        try (JournalStore whole = openStore(copy)) {
            assertThat(whole.startedFrom()).isNull();
            return whole.load();
        }
    }

    private List<Path> checkpointFiles() throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".checkpoint"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aStartReadsTheLastCheckpointAndOnlyTheJournalAfterIt() throws IOException {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1), put("q-1", "m-2", 2));
        commit(new StoreChange.PutDeduplication(deduplication("q-1", "d-1", 1)));
        commit(new StoreChange.PutTenant(tenant("111111111111", 1, null)));
        commit(new StoreChange.PutAccessKey(accessKey("AKID1", "111111111111")));
        commit(new StoreChange.PutMoveTask(moveTask("task-1", "RUNNING", 1)));
        reopenAfterACrash(); // the whole journal read: the first checkpoint follows at once
        assertThat(journal().startedFrom()).isNull();
        journal().awaitCheckpoint(); // the writer starts that checkpoint before anything else
        assertThat(checkpointFiles()).hasSize(1);
        // The tail: changes to what the checkpoint holds, and new things.
        commit(new StoreChange.PutDelivery(delivery("q-1", "m-1", 60_000, 2)));
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-2")), put("q-1", "m-3", 3));
        commit(new StoreChange.DeleteDeduplications("q-1", List.of("d-1")));
        commit(new StoreChange.DeleteAccessKey("AKID1"));
        StoreSnapshot before = store.load();

        reopenAfterACrash();

        assertThat(journal().startedFrom()).isNotNull();
        assertThat(journal().replayedRecords()).as("the tail's records").isEqualTo(6);
        assertSameState(store.load(), before);
        assertThat(store.load().messages())
                .extracting(entry -> entry.message().messageId())
                .containsExactlyInAnyOrder("m-1", "m-3");
        assertSameState(store.load(), wholeJournalRead());
        assertThat(store.readBody("q-1", "m-1")).isEqualTo("body of m-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"torn", "flipped", "empty"})
    void aDamagedCheckpointIsIgnoredAndTheWholeJournalReadInstead(String damage) throws IOException {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1), put("q-1", "m-2", 2));
        reopen();
        journal().awaitCheckpoint();
        commit(new StoreChange.DeleteMessages("q-1", List.of("m-1")), put("q-1", "m-3", 3));
        StoreSnapshot before = store.load();
        journal().closeWithoutCheckpoint();
        Path checkpoint = checkpointFiles().getFirst();
        long size = Files.size(checkpoint);
        switch (damage) {
            case "torn" -> {
                try (FileChannel channel = FileChannel.open(checkpoint, StandardOpenOption.WRITE)) {
                    channel.truncate(size / 2);
                }
            }
            case "flipped" -> flipByte(checkpoint, size / 2);
            default -> Files.write(checkpoint, new byte[0]);
        }

        store = openStore();

        assertThat(journal().startedFrom()).isNull();
        assertSameState(store.load(), before);
        journal().awaitCheckpoint();
        assertThat(checkpointFiles()).hasSize(1).doesNotContain(checkpoint);
    }

    @Test
    void aCheckpointInterruptedBeforeItsRenameIsDeletedAndTheOlderOneUsed() throws IOException {
        commit(new StoreChange.PutQueue(queue("q-1", "orders")), put("q-1", "m-1", 1));
        reopen();
        journal().awaitCheckpoint();
        commit(put("q-1", "m-2", 2));
        journal().closeWithoutCheckpoint();
        Path checkpoint = checkpointFiles().getFirst();
        Path interrupted = directory.resolve("0000000009-0000000000000000001.checkpoint.tmp");
        Files.write(interrupted, Files.readAllBytes(checkpoint), StandardOpenOption.CREATE_NEW);

        store = openStore();

        assertThat(journal().startedFrom()).isNotNull();
        assertThat(journal().replayedRecords()).as("m-2's records").isEqualTo(2);
        assertThat(interrupted).doesNotExist();
        assertThat(store.load().messages()).hasSize(2);
    }

    /**
     * A checkpoint, then deletes, then enough churn that compaction reclaims the segments holding the deleted messages
     * and their deletions: the next start (from the checkpoint compaction wrote before deleting a segment) must not
     * bring a deleted message back.
     */
    @Test
    void compactionAfterACheckpointNeverUndoesADelete() {
        segmentBytes = TINY_SEGMENT;
        store.close();
        store = openStore();
        commit(new StoreChange.PutQueue(queue("q-1", "orders")));
        for (int i = 0; i < 30; i++) {
            commit(put("q-1", "old-" + i, i));
        }
        reopen(); // a checkpoint that holds every old message
        journal().awaitCheckpoint();
        for (int i = 0; i < 30; i += 2) {
            commit(new StoreChange.DeleteMessages("q-1", List.of("old-" + i)));
        }
        for (int i = 0; i < 400; i++) {
            commit(put("q-1", "churn-" + i, 100 + i));
            commit(new StoreChange.DeleteMessages("q-1", List.of("churn-" + i)));
        }
        assertThat(journal().segmentsCompacted()).isGreaterThan(5);

        reopenAfterACrash(); // from the checkpoint compaction wrote last, not one at close

        assertThat(journal().startedFrom()).isNotNull();
        assertThat(store.load().messages())
                .extracting(entry -> entry.message().messageId())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 30)
                        .filter(i -> i % 2 == 1)
                        .mapToObj(i -> "old-" + i)
                        .toList());
    }

    private static void assertSameState(StoreSnapshot actual, StoreSnapshot expected) {
        assertSnapshot(actual, expected.queues(), expected.messages());
        assertThat(actual.deduplications()).containsExactlyInAnyOrderElementsOf(expected.deduplications());
        assertThat(actual.moveTasks()).containsExactlyInAnyOrderElementsOf(expected.moveTasks());
        assertThat(actual.tenants()).containsExactlyInAnyOrderElementsOf(expected.tenants());
        assertThat(actual.accessKeys()).containsExactlyInAnyOrderElementsOf(expected.accessKeys());
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte flipped = (byte) ~one.get(0);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
        }
    }
}
