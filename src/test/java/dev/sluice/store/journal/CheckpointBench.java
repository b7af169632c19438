package dev.sluice.store.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What a checkpoint costs the journal's writer, by measurement (bench/notes.md): a program, not a test. {@code
 * CheckpointBench DIR N} fills an index with N messages of one queue (36-character ids; a message record and a
 * delivery record each, as a send makes), then five times captures its places ({@link Checkpoint#capture}: what the
 * journal's writer thread does), writes the checkpoint file ({@link Checkpoint#write}: encode, fsync, rename, directory
 * fsync; the checkpoint thread's part) and reads it back ({@link Checkpoint#verify} and {@link Checkpoint#load} into an
 * empty index), and prints the milliseconds of each and the file's size.
 */
public final class CheckpointBench {
    private CheckpointBench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        JournalIndex index = new JournalIndex();
        index.putQueue("q-1", new JournalIndex.Slot(1, 0, 300));
        int segment = 1;
        int offset = 300;
        for (int i = 0; i < count; i++) {
            if (offset > 64 << 20) {
                segment++;
                offset = 0;
            }
            String messageId = UUID.randomUUID().toString();
            index.putMessage("q-1", messageId, new JournalIndex.Slot(segment, offset, 1200));
            index.putDelivery("q-1", messageId, new JournalIndex.Slot(segment, offset + 1200, 80), false);
            offset += 1280;
        }
        for (int round = 0; round < 5; round++) {
            Path file = dir.resolve("%010d-%019d.checkpoint".formatted(segment, round));
            long started = System.nanoTime();
            Checkpoint.Capture capture = Checkpoint.capture(index, new Checkpoint.Position(segment, round));
            long captured = System.nanoTime();
            Checkpoint.write(capture, file);
            long written = System.nanoTime();
            Checkpoint.verify(file);
            Checkpoint.load(file, new JournalIndex());
            long read = System.nanoTime();
            System.out.printf(
                    "entries=%d capture_ms=%d write_ms=%d read_ms=%d bytes=%d%n",
                    count,
                    (captured - started) / 1_000_000,
                    (written - captured) / 1_000_000,
                    (read - written) / 1_000_000,
                    Files.size(file));
            Files.delete(file);
        }
    }
}
