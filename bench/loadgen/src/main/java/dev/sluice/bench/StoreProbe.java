package dev.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counters of the store behind the server, read by a shell command at the start and the end of the measured phase
 * (bench/run passes one with {@code --storage postgres}: PostgreSQL's CPU, WAL bytes, transactions, WAL syncs). The
 * command prints {@code name=number} pairs; the RESULT line gets each one's growth per message as
 * {@code name_per_msg}. Off without {@code --store-probe}; a command that fails leaves the fields out.
 */
final class StoreProbe {
    private final String command;
    private Map<String, Double> start;

    StoreProbe(String command) {
        this.command = command;
    }

    void start() {
        start = command == null ? null : read();
    }

    void put(Result r, long messages) {
        if (start == null || messages <= 0) {
            return;
        }
        Map<String, Double> end = read();
        if (end == null) {
            return;
        }
        start.forEach((name, before) -> {
            Double after = end.get(name);
            if (after != null) {
                r.put(name + "_per_msg", (after - before) / messages);
            }
        });
        start = null;
    }

    private Map<String, Double> read() {
        try {
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String pair : out.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                }
            }
            return values;
        } catch (IOException | NumberFormatException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
