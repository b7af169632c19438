package dev.sluice.engine.testkit;

import dev.sluice.store.Store;
import dev.sluice.store.journal.JournalStore;
import dev.sluice.store.mapdb.MapDbStore;
import dev.sluice.store.memory.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The store an engine test runs on, and what a restart does to it. In memory, a restart is a second engine on the same
 * store. On the journal or a MapDB file it closes the files and opens them again; the journal's segments are tiny, so
 * compaction moves records all the time, and committed messages keep no body in memory (the engine reads them back).
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

    /**
     * Waits until every commit made so far has completed and what its completion ran has finished; at once on a store
     * whose commits complete before the call returns.
     */
    public void settle() {}

    public static StoreRig inMemory() {
        return inMemory(new InMemoryStore());
    }

    /** In memory, on a store that pages ({@link InMemoryStore#paging()}). */
    public static StoreRig inMemoryPaging() {
        return inMemory(InMemoryStore.paging());
    }

    private static StoreRig inMemory(InMemoryStore inMemory) {
        return new StoreRig() {
            {
                store = inMemory;
            }

            @Override
            public Store restart() {
                return store;
            }

            @Override
            public void close() {}
        };
    }

    /** The journal with tiny segments, so compaction moves records all the time. */
    public static StoreRig journal() {
        return new FileRig(directory ->
                new JournalStore(directory, JournalStore.Durability.FSYNC, Duration.ofMillis(50), TINY_SEGMENT));
    }

    /** A MapDB file, the earlier embedded store. */
    public static StoreRig mapDb() {
        return new FileRig(directory -> new MapDbStore(directory, MapDbStore.Durability.FSYNC, Duration.ofMillis(10)));
    }

    private static final long TINY_SEGMENT = 4 * 1024;

    /** A store in files of a temporary directory: a restart closes and opens them again; closing deletes them. */
    private static final class FileRig extends StoreRig {
        private final Function<Path, Store> opener;
        private final Path directory;
        private SettlingStore settling;

        FileRig(Function<Path, Store> opener) {
            this.opener = opener;
            try {
                directory = Files.createTempDirectory("sluice-store-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = open();
        }

        private Store open() {
            settling = new SettlingStore(opener.apply(directory));
            return settling;
        }

        @Override
        public Store restart() {
            store.close();
            store = open();
            return store;
        }

        @Override
        public void settle() {
            settling.settle();
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
