package dev.sluice.store.journal;

import static dev.sluice.store.StoreContract.put;
import static dev.sluice.store.StoreContract.queue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A clean close writes a checkpoint at the journal's end, so the next start replays nothing, with pages and in either
 * durability; a kill -9 in the middle of that checkpoint leaves the older one, from which the start replays the tail
 * and loses nothing acknowledged.
 */
class CheckpointAtCloseTest {
    private static final String QUEUE = "q-1";

    @TempDir
    Path directory;

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private JournalStore open(JournalStore.Durability durability) {
        return new JournalStore(
                directory, durability, Duration.ofMillis(20), 256 * 1024, JournalStore.DEFAULT_CHECKPOINT_BYTES);
    }

    /** Every message a start brings back, in memory and paged in, by id. */
    private static List<String> everyMessage(JournalStore store) {
        StoreSnapshot snapshot = store.loadWithoutBodies();
        List<String> ids = new ArrayList<>();
        snapshot.messages().forEach(entry -> ids.add(entry.message().messageId()));
        PageStore pages = store.pages().orElseThrow();
        for (StoredPage page : snapshot.pages()) {
            join(pages.pageIn(page)).forEach(entry -> ids.add(entry.message().messageId()));
        }
        return ids;
    }

    @ParameterizedTest
    @EnumSource(JournalStore.Durability.class)
    void aStartAfterACleanCloseReplaysNothingAndBringsEveryMessageBackOnce(JournalStore.Durability durability)
            throws IOException {
        List<String> expected = new ArrayList<>();
        List<StoredPage> paged = new ArrayList<>();
        try (JournalStore store = open(durability)) {
            join(store.commit(new StoreChange.PutQueue(queue(QUEUE, "orders"))));
            List<StoredMessage> sent = new ArrayList<>();
            for (int from = 0; from < 3_000; from += 50) {
                List<StoreChange> batch = new ArrayList<>();
                for (int i = from; i < from + 50; i++) {
                    StoreChange.PutMessage put = put(QUEUE, "m-" + i, i);
                    batch.add(put);
                    sent.add(put.message());
                }
                join(store.commit(batch));
            }
            for (int from = 0; from < 1_000; from += 250) {
                paged.add(join(store.pages().orElseThrow().pageOut(QUEUE, sent.subList(from, from + 250))));
            }
            List<String> deleted = new ArrayList<>();
            for (int i = 1_000; i < 3_000; i++) {
                (i % 7 == 0 ? deleted : expected).add("m-" + i);
            }
            join(store.commit(new StoreChange.DeleteMessages(QUEUE, deleted)));
            sent.subList(0, 1_000).forEach(message -> expected.add(message.messageId()));
        }

        try (JournalStore store = open(durability)) {
            assertThat(store.startedFrom())
                    .as("started from the checkpoint at close")
                    .isNotNull();
            assertThat(store.replayedRecords()).as("records replayed after it").isZero();
            assertThat(store.loadWithoutBodies().pages()).containsExactlyElementsOf(paged);
            List<String> back = everyMessage(store);
            assertThat(back).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            for (String id : back) {
                assertThat(store.readBody(QUEUE, id)).isEqualTo("body of " + id);
            }
            // Something after the start, then a close: the next start replays nothing again.
            join(store.commit(put(QUEUE, "late", 10_000)));
        }
        try (JournalStore store = open(durability)) {
            assertThat(store.replayedRecords()).isZero();
            assertThat(store.loadWithoutBodies().messages()).hasSize(expected.size() + 1);
        }
        // A close with nothing committed since the start leaves the same checkpoint.
        List<String> checkpoints = checkpointFiles();
        try (JournalStore store = open(durability)) {
            assertThat(store.replayedRecords()).isZero();
        }
        assertThat(checkpointFiles()).isEqualTo(checkpoints).hasSize(1);
    }

    private List<String> checkpointFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.contains(".checkpoint"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    @Timeout(180)
    void aKillDuringTheCheckpointAtCloseLeavesTheOlderOneAndLosesNothing() throws Exception {
        int count = 200_000;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        WatchService watcher = directory.getFileSystem().newWatchService();
        Process child = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CloseCheckpointChild.class.getName(),
                        directory.toString(),
                        Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        boolean killedWhileWriting;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the child's output").isEqualTo("FILLED");
            // Told of each file the child creates from now on (inotify), so the kill lands the moment the checkpoint at
            // close begins (the child has the index to copy first, so this comes well before).
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            List<String> before = checkpointFiles().stream()
                    .filter(name -> name.endsWith(".checkpoint"))
                    .toList();
            assertThat(before).as("an older checkpoint").hasSize(1);
            // Killed as soon as the checkpoint at close is begun: a temporary checkpoint named after a later position.
            awaitCreated(
                    watcher,
                    name -> name.endsWith(".checkpoint.tmp")
                            && name.substring(0, name.length() - 4).compareTo(before.getFirst()) > 0);
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
            killedWhileWriting = checkpointFiles().stream().anyMatch(name -> name.endsWith(".tmp"));
            assertThat(checkpointFiles())
                    .as("the older checkpoint is still there")
                    .containsAll(before);
        } finally {
            child.destroyForcibly();
            watcher.close();
        }
        assertThat(killedWhileWriting)
                .as("killed while the checkpoint at close was written")
                .isTrue();

        try (JournalStore store = new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(20))) {
            assertThat(store.startedFrom())
                    .as("started from the older checkpoint")
                    .isNotNull();
            assertThat(store.replayedRecords()).as("the tail after it").isPositive();
            assertThat(checkpointFiles()).noneMatch(name -> name.endsWith(".tmp"));
            List<String> back = everyMessage(store);
            List<String> expected = new ArrayList<>(List.of(CloseCheckpointChild.LAST));
            for (int i = 0; i < count; i++) {
                if (!CloseCheckpointChild.deleted(i)) {
                    expected.add(CloseCheckpointChild.id(i));
                }
            }
            // As sets (a list comparison of 180,000 ids is quadratic): the same size and the same ids, so each once.
            assertThat(back).hasSameSizeAs(expected);
            assertThat(new HashSet<>(back)).isEqualTo(new HashSet<>(expected));
        }
        try (JournalStore store = new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(20))) {
            assertThat(store.replayedRecords())
                    .as("after a clean close this time")
                    .isZero();
        }
    }

    /** Waits (up to a minute) until a file whose name passes {@code wanted} is created in the directory. */
    private static void awaitCreated(WatchService watcher, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            WatchKey key = watcher.poll(100, TimeUnit.MILLISECONDS);
            if (key == null) {
                continue;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path created && wanted.test(created.toString())) {
                    return;
                }
            }
            key.reset();
        }
        throw new AssertionError("the checkpoint at close never began");
    }
}
