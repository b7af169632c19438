package dev.sluice.store.mapdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.store.DataDirectoryException;
import dev.sluice.store.DurableStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The durable store contract on a MapDB file, plus its one-process lock and owner-only files. */
class MapDbStoreTest extends DurableStoreContract {

    @Override
    protected MapDbStore openStore() {
        return new MapDbStore(directory, MapDbStore.Durability.FSYNC, BATCH_INTERVAL);
    }

    @Override
    protected MapDbStore openBatched(Duration interval) {
        return new MapDbStore(directory, MapDbStore.Durability.BATCHED, interval);
    }

    @Override
    protected long groupCommits() {
        return ((MapDbStore) store).groupCommits();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        assertThatThrownBy(this::openStore)
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageContaining("is in use by another Sluice process");
    }

    @Test
    void theStoreFileIsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(directory.resolve(MapDbStore.FILE_NAME))))
                .isEqualTo("rw-------");
    }
}
