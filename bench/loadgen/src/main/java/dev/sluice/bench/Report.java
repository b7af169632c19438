package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns bench/run's results.tsv (one RESULT line per scenario, server and repetition, prefixed with rep=N) into the
 * Markdown table of RESULTS.md: median (min–max) per server and the ratio of the medians, Sluice / ElasticMQ, next to
 * the target from issue 5. Medians, because the machine is shared and single runs swing.
 */
public final class Report {
    private static final String SLUICE = "sluice";
    private static final String ELASTICMQ = "elasticmq";

    private record Figure(String scenario, String key, String label, String target, double targetValue) {
        boolean higherIsBetter() {
            return key.equals("rate");
        }
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("send", "rate", "(a) SendMessage, msgs/s", "≥ 2×", 2),
            new Figure("send", "cpu_ms_per_1k", "(a) server CPU ms / 1k msgs", "", 0),
            new Figure("send", "msgs_per_sync", "(a) messages per server sync call", "", 0),
            new Figure("send", "pg_cpu_us_per_msg", "(a) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("send", "pg_xacts_per_msg", "(a) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("send", "pg_wal_bytes_per_msg", "(a) WAL bytes / msg", "", 0),
            new Figure("send", "pg_wal_syncs_per_msg", "(a) WAL syncs / msg", "", 0),
            new Figure("batch", "rate", "(b) SendMessageBatch ×10, msgs/s", "≥ 2.5×", 2.5),
            new Figure("batch", "cpu_ms_per_1k", "(b) server CPU ms / 1k msgs", "", 0),
            new Figure("batch", "msgs_per_sync", "(b) messages per server sync call", "", 0),
            new Figure("batch", "pg_cpu_us_per_msg", "(b) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("batch", "pg_xacts_per_msg", "(b) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("batch", "pg_wal_bytes_per_msg", "(b) WAL bytes / msg", "", 0),
            new Figure("batch", "pg_wal_syncs_per_msg", "(b) WAL syncs / msg", "", 0),
            new Figure("drain", "rate", "(c) receive ×10 + DeleteMessageBatch, msgs/s", "≥ 2.5×", 2.5),
            new Figure("drain", "cpu_ms_per_1k", "(c) server CPU ms / 1k msgs", "", 0),
            new Figure("drain", "msgs_per_sync", "(c) messages per server sync call", "", 0),
            new Figure("drain", "pg_cpu_us_per_msg", "(c) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("drain", "pg_xacts_per_msg", "(c) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("drain", "pg_wal_bytes_per_msg", "(c) WAL bytes / msg", "", 0),
            new Figure("drain", "pg_wal_syncs_per_msg", "(c) WAL syncs / msg", "", 0),
            new Figure("fifo", "rate", "(d) FIFO SendMessage, 10 groups, msgs/s", "≥ 2×", 2),
            new Figure("fifo", "cpu_ms_per_1k", "(d) server CPU ms / 1k msgs", "", 0),
            new Figure("fifo", "msgs_per_sync", "(d) messages per server sync call", "", 0),
            new Figure("fifo", "pg_cpu_us_per_msg", "(d) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("fifo", "pg_xacts_per_msg", "(d) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("fifo", "pg_wal_bytes_per_msg", "(d) WAL bytes / msg", "", 0),
            new Figure("fifo", "pg_wal_syncs_per_msg", "(d) WAL syncs / msg", "", 0),
            new Figure("fifo-drain", "rate", "(g) FIFO receive ×10 + DeleteMessageBatch, 10 groups, msgs/s", "", 0),
            new Figure("fifo-drain", "cpu_ms_per_1k", "(g) server CPU ms / 1k msgs", "", 0),
            new Figure("fifo-drain", "msgs_per_sync", "(g) messages per server sync call", "", 0),
            new Figure("fifo-drain", "pg_cpu_us_per_msg", "(g) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("fifo-drain", "pg_xacts_per_msg", "(g) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("fifo-drain", "pg_wal_bytes_per_msg", "(g) WAL bytes / msg", "", 0),
            new Figure("fifo-drain", "pg_wal_syncs_per_msg", "(g) WAL syncs / msg", "", 0),
            new Figure(
                    "fair-drain", "rate", "(h) fair queue receive ×10 + DeleteMessageBatch, 10 groups, msgs/s", "", 0),
            new Figure("fair-drain", "cpu_ms_per_1k", "(h) server CPU ms / 1k msgs", "", 0),
            new Figure("fair-drain", "msgs_per_sync", "(h) messages per server sync call", "", 0),
            new Figure("fair-drain", "pg_cpu_us_per_msg", "(h) PostgreSQL CPU ms / 1k msgs", "", 0),
            new Figure("fair-drain", "pg_xacts_per_msg", "(h) PostgreSQL transactions (= round trips) / msg", "", 0),
            new Figure("fair-drain", "pg_wal_bytes_per_msg", "(h) WAL bytes / msg", "", 0),
            new Figure("fair-drain", "pg_wal_syncs_per_msg", "(h) WAL syncs / msg", "", 0),
            new Figure("latency", "p50_ms", "(e) end-to-end p50 ms at 1,000 msg/s", "", 0),
            new Figure("latency", "p99_ms", "(e) end-to-end p99 ms at 1,000 msg/s", "Sluice ≤ 5 ms", 5),
            new Figure("latency", "max_ms", "(e) end-to-end max ms", "", 0),
            new Figure("latency", "rate", "(e) achieved send rate, msgs/s", "", 0),
            new Figure("latency", "cpu_ms_per_1k", "(e) server CPU ms / 1k msgs", "", 0),
            new Figure("raw-http", "rate", "(f) raw-HTTP SendMessage (wrk), req/s", "≥ 3×", 3),
            new Figure("raw-http", "p99_ms", "(f) wrk p99 ms", "", 0),
            new Figure("raw-http", "cpu_ms_per_1k", "(f) server CPU ms / 1k msgs", "", 0),
            new Figure("raw-http", "msgs_per_sync", "(f) messages per server sync call", "", 0));

    private Report() {}

    /** Issue 14's targets for Sluice on PostgreSQL, where they differ from issue 5's for the embedded journal. */
    private static final List<Figure> POSTGRES_TARGETS = List.of(
            new Figure("send", "rate", "(a) SendMessage, msgs/s", "≥ 0.5×", 0.5),
            new Figure("batch", "rate", "(b) SendMessageBatch ×10, msgs/s", "≥ 1×", 1),
            new Figure("drain", "rate", "(c) receive ×10 + DeleteMessageBatch, msgs/s", "≥ 1×", 1),
            new Figure("fifo", "rate", "(d) FIFO SendMessage, 10 groups, msgs/s", "", 0),
            new Figure("raw-http", "rate", "(f) raw-HTTP SendMessage (wrk), req/s", "", 0));

    /** args: results.tsv, then optionally the storage ({@code postgres} applies issue 14's targets). */
    public static void main(String[] args) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (String field : line.trim().split("\\s+")) {
                int eq = field.indexOf('=');
                if (eq > 0) {
                    row.put(field.substring(0, eq), field.substring(eq + 1));
                }
            }
            rows.add(row);
        }
        System.out.print(table(rows, args.length > 1 && args[1].equals("postgres")));
    }

    static String table(List<Map<String, String>> rows, boolean postgres) {
        long reps = rows.stream().map(r -> r.get("rep")).distinct().count();
        var out = new StringBuilder();
        out.append("Median (min–max) over ")
                .append(reps)
                .append(reps == 1 ? " repetition" : " repetitions")
                .append("; ratio = Sluice median / ElasticMQ median. For ms figures lower is better.\n\n");
        out.append("| figure | Sluice | ElasticMQ | Sluice / ElasticMQ | target | check Sluice / ElasticMQ |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Figure figure : FIGURES) {
            Figure f = postgres
                    ? POSTGRES_TARGETS.stream()
                            .filter(t -> t.scenario().equals(figure.scenario())
                                    && t.key().equals(figure.key()))
                            .findFirst()
                            .orElse(figure)
                    : figure;
            List<Map<String, String>> s = runs(rows, f.scenario(), SLUICE);
            List<Map<String, String>> e = runs(rows, f.scenario(), ELASTICMQ);
            if (s.isEmpty() && e.isEmpty()
                    || f.key().startsWith("pg_")
                            && values(s, f.key()).isEmpty()
                            && values(e, f.key()).isEmpty()) {
                continue;
            }
            double sm = median(values(s, f.key()));
            double em = median(values(e, f.key()));
            String ratio = Double.isNaN(sm) || Double.isNaN(em) || em == 0 ? "–" : fmt(sm / em) + "×";
            out.append("| ")
                    .append(f.label())
                    .append(" | ")
                    .append(cell(s, f.key()))
                    .append(" | ")
                    .append(cell(e, f.key()))
                    .append(" | ")
                    .append(ratio)
                    .append(" | ")
                    .append(verdict(f, sm, em))
                    .append(" | ")
                    .append(
                            f.key().equals("cpu_ms_per_1k")
                                            || f.key().equals("msgs_per_sync")
                                            || f.key().startsWith("pg_")
                                    ? ""
                                    : check(s) + " / " + check(e))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String verdict(Figure f, double sluice, double elasticmq) {
        if (f.target().isEmpty()) {
            return "";
        }
        if (Double.isNaN(sluice)) {
            return f.target() + ": not measured";
        }
        boolean met = f.higherIsBetter()
                ? !Double.isNaN(elasticmq) && sluice >= f.targetValue() * elasticmq
                : sluice <= f.targetValue();
        return f.target() + (met ? ": met" : ": **not met**");
    }

    private static List<Map<String, String>> runs(List<Map<String, String>> rows, String scenario, String server) {
        return rows.stream()
                .filter(r -> scenario.equals(r.get("scenario")) && server.equals(r.get("server")))
                .toList();
    }

    private static List<Double> values(List<Map<String, String>> runs, String key) {
        return runs.stream()
                .filter(r -> "ok".equals(r.get("status")) || "FAILED".equals(r.get("status")))
                .map(r -> r.get(key))
                .filter(v -> v != null && !v.startsWith("-"))
                .map(Double::parseDouble)
                .sorted()
                .toList();
    }

    private static String cell(List<Map<String, String>> runs, String key) {
        if (!runs.isEmpty() && runs.stream().allMatch(r -> "unsupported".equals(r.get("status")))) {
            return "not supported";
        }
        List<Double> v = values(runs, key);
        if (v.isEmpty()) {
            return "–";
        }
        if (v.size() == 1) {
            return fmt(v.get(0));
        }
        return fmt(median(v)) + " (" + fmt(v.get(0)) + "–" + fmt(v.get(v.size() - 1)) + ")";
    }

    private static String check(List<Map<String, String>> runs) {
        if (runs.isEmpty()) {
            return "–";
        }
        if (runs.stream().allMatch(r -> "unsupported".equals(r.get("status")))) {
            return "not supported";
        }
        if (runs.stream().allMatch(r -> "ok".equals(r.get("status")))) {
            return "ok";
        }
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String k : List.of("lost", "dup", "unexpected", "left", "errors")) {
            sums.put(
                    k,
                    runs.stream()
                            .mapToLong(r -> Long.parseLong(r.getOrDefault(k, "0")))
                            .sum());
        }
        var sb = new StringBuilder("**FAILED**");
        sums.forEach((k, v) -> {
            if (v != 0) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static double median(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
