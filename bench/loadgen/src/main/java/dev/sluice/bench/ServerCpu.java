package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time the server process (or the replicas' processes, summed) has used, from /proc/PID/stat utime + stime (fields 14 and 15, in clock ticks of
 * {@code getconf CLK_TCK}, passed in by bench/run). Read before and after the measured phase only, so verification
 * drains are not charged to the scenario.
 */
final class ServerCpu {
    private final List<Long> pids;
    private final long ticksPerSecond;
    private long startTicks;

    ServerCpu(List<Long> pids, long ticksPerSecond) {
        this.pids = pids;
        this.ticksPerSecond = ticksPerSecond;
    }

    void start() {
        startTicks = ticks();
    }

    /** CPU milliseconds per 1,000 messages since {@link #start()} (all the pids), or -1 when no pid was given. */
    double msPer1000(long messages) {
        if (pids.isEmpty() || messages <= 0) {
            return -1;
        }
        double cpuMs = (ticks() - startTicks) * 1000.0 / ticksPerSecond;
        return cpuMs * 1000.0 / messages;
    }

    private long ticks() {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(pid);
        }
        return ticks;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }
}
