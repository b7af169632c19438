package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Counts the server's fsync, fdatasync and msync calls during the measured phase with {@code perf stat} on the
 * syscall tracepoints (kernel-side counting, so the server is not slowed the way strace would slow it). Messages per
 * sync call is the group commit's batch size as the disk sees it: Sluice exposes its own group-commit counters
 * nowhere yet. Off unless {@code --count-fsyncs true}; a machine without perf or tracepoints reports -1.
 */
final class FsyncCounter {
    private static final String EVENTS =
            "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_msync";

    private final String pids;
    private final boolean enabled;
    private Process perf;
    private Path output;

    FsyncCounter(List<Long> pids, boolean enabled) {
        this.pids = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
        this.enabled = enabled && !pids.isEmpty();
    }

    void start() {
        if (!enabled) {
            return;
        }
        try {
            output = Files.createTempFile("sluice-bench-perf-", ".csv");
            perf = new ProcessBuilder("perf", "stat", "-x", ",", "-o", output.toString(), "-e", EVENTS, "-p", pids)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(200); // perf attaches asynchronously; a call in the first instants may be missed
        } catch (IOException e) {
            perf = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sync calls since {@link #start()}, or -1 when not counted. */
    long stop() {
        if (perf == null) {
            return -1;
        }
        try {
            // perf stat prints its counts on SIGINT, not on the SIGTERM of Process.destroy().
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid()))
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            if (!perf.waitFor(10, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
                return -1;
            }
            long total = 0;
            boolean any = false;
            for (String line : Files.readAllLines(output)) {
                String[] f = line.split(",");
                if (f.length > 2 && f[2].startsWith("syscalls:") && f[0].matches("\\d+")) {
                    total += Long.parseLong(f[0]);
                    any = true;
                }
            }
            Files.deleteIfExists(output);
            return any ? total : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            perf = null;
        }
    }
}
