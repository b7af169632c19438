package dev.sluice.store.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * Decides the paged index's on-disk form by measurement (README, "Paged index"): a program, not a test. {@code
 * PageStoreBench DIR N PAGE} pages N entries out and back in, in sequence order, through (1) {@link PageFile}s of PAGE
 * entries each and (2) one MapDB B-tree ({@code sequence -> entry}) in a file with transactions, as the paged
 * index would use it (commit per page written, entries removed as they are paged in), and prints entries per second
 * for both directions and the bytes on disk. Run with the test class path (bench/notes.md has the command).
 */
public final class PageStoreBench {
    private PageStoreBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int pageSize = Integer.parseInt(args[2]);
        List<PageFile.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new PageFile.Entry(
                    1_000_000L + i,
                    1_700_000_000_000L + i / 1000,
                    UUID.randomUUID().toString(),
                    i * 1100L,
                    1100));
        }
        for (int round = 0; round < 3; round++) {
            pageFiles(dir.resolve("pages-" + round), entries, pageSize);
            mapDb(dir.resolve("mapdb-" + round), entries, pageSize);
        }
    }

    private static void pageFiles(Path dir, List<PageFile.Entry> entries, int pageSize) throws IOException {
        Files.createDirectories(dir);
        long start = System.nanoTime();
        List<PageFile> pages = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += pageSize) {
            List<PageFile.Entry> run = entries.subList(from, Math.min(entries.size(), from + pageSize));
            pages.add(PageFile.write(dir.resolve(pages.size() + ".page"), run));
        }
        long written = System.nanoTime();
        long bytes = directoryBytes(dir);
        long checksum = 0;
        for (PageFile page : pages) {
            for (PageFile.Entry entry : page.read()) {
                checksum += entry.sequence();
            }
            Files.delete(page.path());
        }
        long read = System.nanoTime();
        report("page files", entries.size(), written - start, read - written, bytes, checksum);
    }

    private static void mapDb(Path dir, List<PageFile.Entry> entries, int pageSize) throws IOException {
        Files.createDirectories(dir);
        File file = dir.resolve("pages.db").toFile();
        long start = System.nanoTime();
        long checksum = 0;
        long bytes;
        long written;
        try (DB db = DBMaker.fileDB(file)
                .transactionEnable()
                .fileMmapEnableIfSupported()
                .fileMmapPreclearDisable()
                .make()) {
            ConcurrentNavigableMap<Long, byte[]> tree =
                    db.treeMap("paged", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
            for (int from = 0; from < entries.size(); from += pageSize) {
                for (PageFile.Entry entry : entries.subList(from, Math.min(entries.size(), from + pageSize))) {
                    tree.put(entry.sequence(), encode(entry));
                }
                db.commit();
            }
            written = System.nanoTime();
            bytes = directoryBytes(dir);
            int taken = 0;
            while (!tree.isEmpty()) {
                Map.Entry<Long, byte[]> first = tree.pollFirstEntry();
                checksum += first.getKey();
                if (++taken % pageSize == 0) {
                    db.commit();
                }
            }
            db.commit();
        }
        long read = System.nanoTime();
        report("mapdb b-tree", entries.size(), written - start, read - written, bytes, checksum);
    }

    private static byte[] encode(PageFile.Entry entry) {
        byte[] id = entry.messageId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 4 + 8 + 1 + id.length)
                .putLong(entry.location())
                .putInt(entry.length())
                .putLong(entry.enqueuedMillis())
                .put((byte) id.length)
                .put(id)
                .array();
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(path -> path.toFile().length()).sum();
        }
    }

    private static void report(String what, int count, long writeNanos, long readNanos, long bytes, long checksum) {
        System.out.printf(
                "%-13s %,d entries: page out %,.0f/s, page in %,.0f/s, %,d bytes on disk (%d per entry) [%d]%n",
                what,
                count,
                count / (writeNanos / 1e9),
                count / (readNanos / 1e9),
                bytes,
                bytes / count,
                checksum % 1000);
    }
}
