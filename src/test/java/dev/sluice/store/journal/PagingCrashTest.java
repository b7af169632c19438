package dev.sluice.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredPage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 while paging: a child JVM ({@link PagingChild}) sends, pages out and in, drops pages and churns on tiny
 * segments, so compaction moves paged records all along; it is killed with SIGKILL after a number of acknowledged
 * steps, and the store it leaves must hold every acknowledged message exactly once (in memory or in a page), nothing
 * dropped, and no page file that no live page owns.
 */
class PagingCrashTest {
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(ints = {9, 31, 61})
    @Timeout(120)
    void aKilledStoreComesBackWithEveryAcknowledgedMessageOnce(int linesBeforeTheKill) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PagingChild.class.getName(),
                        directory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int sent = 0;
        Map<String, int[]> paged = new HashMap<>();
        Set<String> dropped = new HashSet<>();
        String dropping = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (int lines = 0; lines < linesBeforeTheKill; ) {
                String line = out.readLine();
                assertThat(line).as("the child's output").isNotNull();
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "SENT" -> sent = Integer.parseInt(words[2]);
                    case "PAGED" ->
                        paged.put(words[1], new int[] {Integer.parseInt(words[2]), Integer.parseInt(words[3])});
                    case "DROPPING" -> dropping = words[1];
                    case "DROPPED" -> {
                        dropped.add(words[1]);
                        dropping = null;
                    }
                    default -> {}
                }
                lines++;
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }

        try (JournalStore store =
                new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(50), 64 * 1024)) {
            StoreSnapshot snapshot = store.loadWithoutBodies();
            List<String> pageFiles;
            try (Stream<Path> files = Files.list(directory.resolve(JournalPages.DIRECTORY))) {
                pageFiles = files.map(file -> file.getFileName().toString())
                        .sorted()
                        .toList();
            }
            assertThat(pageFiles)
                    .containsExactlyInAnyOrderElementsOf(snapshot.pages().stream()
                            .map(page -> page.name() + ".page")
                            .toList());
            List<String> present = new ArrayList<>();
            snapshot.messages().forEach(entry -> present.add(entry.message().messageId()));
            for (StoredPage page : snapshot.pages()) {
                List<StoreSnapshot.Entry> entries = store.pages()
                        .orElseThrow()
                        .pageIn(page)
                        .toCompletableFuture()
                        .join();
                assertThat(entries).hasSize(page.count());
                entries.forEach(entry -> present.add(entry.message().messageId()));
            }
            assertThat(present).as("no message twice").doesNotHaveDuplicates();
            Set<String> gone = new HashSet<>();
            for (String name : dropped) {
                int[] range = paged.get(name);
                for (int i = range[0]; i < range[1]; i++) {
                    gone.add(PagingChild.keep(i));
                }
            }
            Set<String> maybeGone = new HashSet<>();
            if (dropping != null) {
                int[] range = paged.get(dropping);
                for (int i = range[0]; i < range[1]; i++) {
                    maybeGone.add(PagingChild.keep(i));
                }
            }
            for (int i = 0; i < sent; i++) {
                String id = PagingChild.keep(i);
                if (gone.contains(id)) {
                    assertThat(present).as("a dropped message").doesNotContain(id);
                } else if (!maybeGone.contains(id)) {
                    assertThat(present).as("an acknowledged message").contains(id);
                }
            }
            String currentChurn = "c-" + (sent / 100 - 1) + "-";
            assertThat(present).noneMatch(id -> id.startsWith("c-") && !id.startsWith(currentChurn));
            for (String id : present) {
                assertThat(store.readBody(PagingChild.QUEUE, id)).isEqualTo("body of " + id);
            }
            assertThat(sent).isPositive();
            if (linesBeforeTheKill > 20) {
                assertThat(store.segmentFiles().getFirst().getFileName().toString())
                        .as("compaction ran, moving paged records")
                        .isNotEqualTo("0000000001.journal");
            }
        }
    }
}
