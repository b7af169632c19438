package dev.sluice.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page file keeps its entries exactly, refuses a damaged or short page, and survives a relocation and a reopen. */
class PageFileTest {
    @TempDir
    Path directory;

    private static List<PageFile.Entry> entries(int count) {
        List<PageFile.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // Enqueue times not monotonic (a moved message keeps its own), locations out of order (a concurrent send).
            long location = ((long) (1 + i / 1000) << 32) | ((i * 7919L) % 1_000_000);
            entries.add(new PageFile.Entry(
                    1_000_000L + i * 3L,
                    1_700_000_000_000L + (i % 17),
                    UUID.randomUUID().toString(),
                    location,
                    1100));
        }
        return entries;
    }

    private static List<PageFile.Entry> withoutOffsets(List<PageFile.Entry> entries) {
        return entries.stream()
                .map(e -> new PageFile.Entry(e.sequence(), e.enqueuedMillis(), e.messageId(), e.location(), e.length()))
                .toList();
    }

    @Test
    void thousandsOfEntriesComeBackInSequenceOrderAfterAReopen() throws IOException {
        List<PageFile.Entry> written = entries(5000);
        Path path = directory.resolve("q-1.page");
        PageFile.write(path, written);

        PageFile page = PageFile.open(path);
        assertThat(page.count()).isEqualTo(5000);
        assertThat(page.firstSequence()).isEqualTo(1_000_000L);
        assertThat(page.lastSequence()).isEqualTo(1_000_000L + 4999 * 3L);
        assertThat(page.oldestEnqueuedMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(withoutOffsets(page.read())).isEqualTo(written);
        assertThat(Files.exists(directory.resolve("q-1.page.tmp"))).isFalse();
    }

    @Test
    void compactionFindsEveryLocationOfThePageAndNoOther() throws IOException {
        List<PageFile.Entry> written = entries(3000);
        PageFile page = PageFile.write(directory.resolve("q.page"), written);
        long[] locations = page.sortedLocations();
        for (PageFile.Entry entry : written) {
            assertThat(PageFile.holds(locations, entry.location())).isTrue();
        }
        assertThat(PageFile.holds(locations, (9L << 32) | 5)).isFalse();
    }

    @Test
    void relocatedEntriesPointAtTheirNewPlacesAfterAReopenAndTheOthersAreUnchanged() throws IOException {
        List<PageFile.Entry> written = entries(100);
        Path path = directory.resolve("q.page");
        PageFile.write(path, written);
        PageFile page = PageFile.open(path);
        List<PageFile.Entry> before = page.read();
        List<PageFile.Relocation> relocations = new ArrayList<>();
        List<PageFile.Entry> expected = new ArrayList<>(written);
        for (int i = 0; i < 100; i += 7) {
            long location = (77L << 32) | (1000 + i);
            relocations.add(new PageFile.Relocation(before.get(i), location));
            PageFile.Entry old = written.get(i);
            expected.set(
                    i,
                    new PageFile.Entry(old.sequence(), old.enqueuedMillis(), old.messageId(), location, old.length()));
        }
        page.relocate(relocations);

        assertThat(withoutOffsets(PageFile.open(path).read())).isEqualTo(expected);
    }

    @Test
    void aFlippedByteInAnEntryIsRefusedNotHalfRead() throws IOException {
        Path path = directory.resolve("q.page");
        PageFile.write(path, entries(200));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = PageFile.HEADER_BYTES + 50L * 66 + 20;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x10)}), at);
        }
        PageFile page = PageFile.open(path);
        assertThatThrownBy(page::read).isInstanceOf(IOException.class).hasMessageContaining("is damaged");
    }

    @Test
    void aShortPageIsRefused() throws IOException {
        Path path = directory.resolve("q.page");
        PageFile.write(path, entries(200));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 30);
        }
        PageFile page = PageFile.open(path);
        assertThatThrownBy(page::read).isInstanceOf(IOException.class).hasMessageContaining("ends before");
    }

    @Test
    void aDamagedHeaderIsRefusedAtOpen() throws IOException {
        Path path = directory.resolve("q.page");
        PageFile.write(path, entries(10));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {9}), 6);
        }
        assertThatThrownBy(() -> PageFile.open(path))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("header is damaged");
    }

    @Test
    void entriesOutOfSequenceOrderAreRefused() {
        List<PageFile.Entry> entries = new ArrayList<>(entries(3));
        entries.add(entries.getFirst());
        assertThatThrownBy(() -> PageFile.write(directory.resolve("q.page"), entries))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
