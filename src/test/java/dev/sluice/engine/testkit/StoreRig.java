package dev.sluice.engine.testkit;

import dev.sluice.store.Store;
import dev.sluice.store.journal.JournalStore;
import dev.sluice.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The store an engine test runs on, and what a restart does to it. In memory, a restart is a second engine on the same
 * store. On the journal it closes the files and opens them again; its segments are tiny, so compaction moves records
 * all the time, and committed messages keep no body in memory (the engine reads them back).
 */
public abstract class StoreRig implements AutoCloseable {
    @Override
    public abstract void close();

    protected Store store;

    public Store store() {
        return store;
    }

    /** The store as a restarted server would find it. */
    public abstract Store restart();

    public static StoreRig inMemory() {
        return new StoreRig() {
            {
                store = new InMemoryStore();
            }

            @Override
            public Store restart() {
                return store;
            }

            @Override
            public void close() {}
        };
    }

    public static StoreRig journal() {
        return new JournalRig();
    }

    private static final class JournalRig extends StoreRig {
        private static final long TINY_SEGMENT = 4 * 1024;
        private final Path directory;

        JournalRig() {
            try {
                directory = Files.createTempDirectory("sluice-journal-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = open();
        }

        private JournalStore open() {
            return new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(50), TINY_SEGMENT);
        }

        @Override
        public Store restart() {
            store.close();
            store = open();
            return store;
        }

        @Override
        public void close() {
            store.close();
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
