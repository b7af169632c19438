package dev.sluice.store.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The journal directory's checkpoints ({@link Checkpoint}): which one a start loads, when the writer writes the next,
 * and that older ones go once a newer one is durable. A start takes the newest one that is intact and whose segments
 * are all there; anything else is ignored with a log line, and without one the whole journal is read (always right:
 * the journal alone is the truth, a checkpoint only spares reading it).
 *
 * <p>The writer writes one when {@code everyBytes} have been appended since the last, and one before compaction
 * deletes a segment, so no checkpoint ever starts a replay after records a deleted segment held. Used by the writer
 * thread only (and the opening before it starts).
 */
final class Checkpoints {
    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());
    private static final Pattern NAME = Pattern.compile("(\\d{10})-(\\d{19})\\.checkpoint");
    private static final String SUFFIX = ".checkpoint";

    private final Path directory;
    private final long everyBytes;
    private long appendedSince;
    /** The checkpoint loaded or last written, if any. */
    private Path current;

    Checkpoints(Path directory, long everyBytes) {
        this.directory = directory;
        this.everyBytes = everyBytes;
    }

    /**
     * Puts the newest usable checkpoint's slots into {@code index} (empty) and returns its position, or null when there
     * is none: the journal is then read from its first segment. {@code segments}: the segment files present.
     */
    Checkpoint.Position load(JournalIndex index, List<Integer> segments) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(SUFFIX + ".tmp")) {
                    Files.deleteIfExists(file); // a checkpoint interrupted before its rename
                } else if (NAME.matcher(name).matches()) {
                    candidates.add(file);
                }
            }
        }
        candidates.sort(Comparator.comparing(Checkpoints::position).reversed());
        for (Path file : candidates) {
            try {
                Checkpoint.Header header = Checkpoint.verify(file);
                refuseMissingSegments(header, segments);
                long started = System.nanoTime();
                Checkpoint.load(file, index);
                current = file;
                LOG.info("journal: starting from checkpoint " + file.getFileName() + " (read in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms); replaying the journal after it");
                return header.position();
            } catch (IOException e) {
                LOG.warning("journal: ignoring checkpoint " + file + ": " + e.getMessage() + "; "
                        + (file == candidates.get(candidates.size() - 1)
                                ? "reading the whole journal instead"
                                : "trying an older one"));
            }
        }
        return null;
    }

    private void refuseMissingSegments(Checkpoint.Header header, List<Integer> segments) throws IOException {
        Checkpoint.Position position = header.position();
        if (!segments.contains(position.segment())) {
            throw new IOException("its journal segment " + position.segment() + " is gone");
        }
        if (Files.size(directory.resolve("%010d.journal".formatted(position.segment()))) < position.offset()) {
            throw new IOException(
                    "its journal segment " + position.segment() + " ends before offset " + position.offset());
        }
        for (Map.Entry<Integer, Long> live : header.liveBytes().entrySet()) {
            if (live.getValue() > 0 && !segments.contains(live.getKey())) {
                throw new IOException("journal segment " + live.getKey() + ", which it points into, is gone");
            }
        }
    }

    /** Counts bytes appended to the journal; returns whether a checkpoint is due. */
    boolean appended(long bytes) {
        appendedSince += bytes;
        return appendedSince >= everyBytes;
    }

    /**
     * Writes a checkpoint of {@code index} at {@code position} (everything before it synced) and then deletes the older
     * ones. Returns false when it could not be written (logged): the older ones are then still there.
     */
    boolean write(JournalIndex index, Checkpoint.Position position) {
        Path file = directory.resolve("%010d-%019d%s".formatted(position.segment(), position.offset(), SUFFIX));
        appendedSince = 0;
        if (file.equals(current)) {
            return true; // nothing appended since
        }
        long started = System.nanoTime();
        try {
            Checkpoint.write(index, position, file);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "journal: cannot write checkpoint " + file + "; a start reads more journal", e);
            return false;
        }
        LOG.fine(() -> "journal: checkpoint " + file.getFileName() + " written in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        deleteAllBut(file);
        current = file;
        return true;
    }

    /**
     * Deletes every checkpoint, so a start reads the whole journal: what compaction must do before it deletes a
     * segment when no checkpoint after its copies could be written.
     */
    void deleteAll() {
        deleteAllBut(null);
        current = null;
    }

    private void deleteAllBut(Path keep) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.equals(keep)
                        && NAME.matcher(file.getFileName().toString()).matches()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the older checkpoints in " + directory, e);
        }
        SegmentFiles.syncDirectory(directory);
    }

    private static Checkpoint.Position position(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException(file.toString());
        }
        return new Checkpoint.Position(Integer.parseInt(name.group(1)), Long.parseLong(name.group(2)));
    }
}
