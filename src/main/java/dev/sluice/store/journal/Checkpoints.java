package dev.sluice.store.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>The writer starts one when {@code everyBytes} have been appended since the last, and one before compaction
 * deletes a segment (which waits until it is durable), so no checkpoint ever starts a replay after records a deleted
 * segment held. The writer thread only copies the index's places; a thread of its own encodes, writes and fsyncs the
 * file. Used by the writer thread only (and the opening before it starts), apart from that thread.
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
    /** The checkpoint being written on the checkpoint thread: its file when done, null if it failed. */
    private Future<Path> inFlight;

    private Checkpoint.Position inFlightPosition;
    /** A checkpoint at this position could not be written (and no later one has been yet). */
    private Checkpoint.Position failedSince;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(run ->
            Thread.ofPlatform().name("sluice-journal-checkpoint").daemon().unstarted(run));

    /** The journal's pages: a checkpoint keeps the live ones. */
    private final JournalPages pages;

    Checkpoints(Path directory, long everyBytes, JournalPages pages) {
        this.directory = directory;
        this.everyBytes = everyBytes;
        this.pages = pages;
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
                Checkpoint.load(file, index, pages);
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
     * Starts a checkpoint of {@code index} at {@code position} (everything before it synced), unless one is being
     * written: the index's places are copied here, on the writer thread; the file is encoded, written and fsynced on
     * the checkpoint thread, which then deletes the older ones.
     */
    void start(JournalIndex index, Checkpoint.Position position) {
        settle();
        if (inFlight != null) {
            return;
        }
        appendedSince = 0;
        Path file = directory.resolve("%010d-%019d%s".formatted(position.segment(), position.offset(), SUFFIX));
        if (file.equals(current)) {
            return; // nothing appended since
        }
        Checkpoint.Capture capture = Checkpoint.capture(index, pages.save(), position);
        inFlightPosition = position;
        inFlight = worker.submit(() -> writeAndDeleteOlder(capture, file));
    }

    /**
     * For compaction, before it deletes a segment whose copies were synced at {@code needed}: whether a checkpoint at
     * or after it is durable (or, if one failed, none is left, so a start reads the whole journal). Otherwise starts
     * one if none is being written, waits a moment for it, and says false: ask again.
     */
    boolean durableFrom(Checkpoint.Position needed, JournalIndex index, Checkpoint.Position now) {
        settle();
        if (current != null && position(current).compareTo(needed) >= 0) {
            return true;
        }
        if (failedSince != null && failedSince.compareTo(needed) >= 0) {
            deleteAll();
            failedSince = null;
            return true;
        }
        if (inFlight == null) {
            start(index, now);
        }
        try {
            inFlight.get(1, TimeUnit.MILLISECONDS); // a short wait, so the writer does not spin meanwhile
        } catch (TimeoutException | ExecutionException e) {
            // Settled on the next call.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Takes the outcome of a finished checkpoint (writer thread). */
    private void settle() {
        if (inFlight == null || !inFlight.isDone()) {
            return;
        }
        try {
            Path written = inFlight.get();
            if (written != null) {
                current = written;
            } else {
                failedSince = inFlightPosition;
            }
        } catch (InterruptedException | ExecutionException e) {
            failedSince = inFlightPosition;
        }
        inFlight = null;
        inFlightPosition = null;
    }

    /** On the checkpoint thread: the file, or null when it could not be written (logged; the older ones stay). */
    private Path writeAndDeleteOlder(Checkpoint.Capture capture, Path file) {
        long started = System.nanoTime();
        try {
            Checkpoint.write(capture, file);
            deleteAllBut(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "journal: cannot write checkpoint " + file + "; a start reads more journal", e);
            return null;
        }
        LOG.fine(() -> "journal: checkpoint " + file.getFileName() + " written in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return file;
    }

    /** Waits for the checkpoint being written, if any (writer thread, or after it stopped). */
    void awaitWritten() {
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // Settled below.
            }
            settle();
        }
    }

    /**
     * Waits up to {@code wait} for the checkpoint being written, then stops the checkpoint thread; one not done by then
     * is interrupted and left: its temporary file goes at the next start, which loads the older checkpoint.
     */
    void close(Duration wait) {
        if (inFlight != null) {
            long started = System.nanoTime();
            try {
                inFlight.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info(
                        "journal: checkpoint at close written in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            } catch (TimeoutException e) {
                LOG.warning("journal: the checkpoint at close is not written after " + wait.toSeconds()
                        + " s; giving it up (the next start replays the journal after the older one)");
                worker.shutdownNow();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                worker.shutdownNow();
                return;
            } catch (ExecutionException e) {
                // Logged by the checkpoint thread.
            }
            settle();
        }
        worker.shutdown();
    }

    /**
     * Deletes every checkpoint, so a start reads the whole journal: what compaction must do before it deletes a
     * segment when no checkpoint after its copies could be written.
     */
    private void deleteAll() {
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
