package dev.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark scenarios (a)–(f) of issue 5, plus the fill/count steps of the memory run. Each creates its own
 * queue, measures one phase, then checks by MessageId that every acknowledged message comes back exactly once (the
 * check runs after the clock stops) and deletes the queue.
 */
final class Scenarios {
    private static final Map<String, String> STANDARD = Map.of("VisibilityTimeout", "300");
    private static final Map<String, String> FIFO =
            Map.of("FifoQueue", "true", "ContentBasedDeduplication", "false", "VisibilityTimeout", "300");
    private static final int FIFO_GROUPS = 10;
    /** Fair-drain: a standard queue's messages in 10 groups, one of them (g0) sending every other message. */
    private static final int FAIR_GROUPS = 10;

    private static final int BATCH = 10;
    // Enough synchronous senders that a slow (fsync-bound) send does not lower the offered rate.
    private static final int LATENCY_SENDERS = 64;
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(3);
    private static final AtomicInteger ERRORS_LOGGED = new AtomicInteger();

    private final SqsPort port;
    private final Options o;
    private final ServerCpu cpu;
    private final FsyncCounter fsyncs;
    private final StoreProbe store;
    private final String body;
    private Duration duration;

    Scenarios(SqsPort port, Options options) {
        this.port = port;
        this.o = options;
        this.cpu = new ServerCpu(options.serverPids(), options.clockTicks());
        this.fsyncs = new FsyncCounter(options.serverPids(), options.countFsyncs());
        this.store = new StoreProbe(options.storeProbe());
        this.body = "x".repeat(options.bodyBytes());
        this.duration = options.duration();
    }

    /**
     * Untimed sends, batches and receives, so both the server's and this client's JIT have compiled the hot path
     * before the first measured scenario (without it the first seconds of each run are several times slower).
     */
    void warmUp(Duration each) {
        Duration measured = duration;
        duration = each;
        try {
            timedSend("warmup-send", false, 1);
            timedSend("warmup-batch", false, BATCH);
        } finally {
            duration = measured;
        }
    }

    Result run(String scenario) throws Exception {
        return switch (scenario) {
            case "send" -> timedSend("send", false, 1);
            case "batch" -> timedSend("batch", false, BATCH);
            case "fifo" -> timedSend("fifo", true, 1);
            case "drain" -> drain(Kind.PLAIN);
            case "fifo-drain" -> drain(Kind.FIFO);
            case "fair-drain" -> drain(Kind.FAIR);
            case "latency" -> latency();
            case "raw-http" -> rawHttp();
            case "fill" -> fill();
            case "take" -> take();
            case "count" -> base("count").put("count", port.approximateCount(o.queueUrl()));
            case "create-queue" -> base("create-queue").put("queue_url", port.createQueue(o.queueName(), STANDARD));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    /** (a) SendMessage, (b) SendMessageBatch of 10, (d) FIFO SendMessage over 10 groups: clients send until time. */
    private Result timedSend(String name, boolean fifo, int batch) {
        Result r = base(name);
        String url;
        try {
            url = port.createQueue(queueName(name, fifo), fifo ? FIFO : STANDARD);
        } catch (RuntimeException e) {
            if (fifo) {
                // Not faked: a server without FIFO queues is reported as such.
                return r.put("status", "unsupported").put("reason", firstLine(e));
            }
            throw e;
        }
        Ledger ledger = new Ledger();
        AtomicLong budget = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        startMeasuring();
        long t0 = System.nanoTime();
        long deadline = t0 + duration.toNanos();
        join(start(o.clients(), () -> {
            while (System.nanoTime() < deadline && budget.getAndAdd(batch) < o.maxMessages()) {
                try {
                    if (batch == 1) {
                        ledger.acknowledged(port.send(url, entry(fifo, seq.getAndIncrement())));
                    } else {
                        var entries = new ArrayList<SqsPort.Entry>(batch);
                        for (int i = 0; i < batch; i++) {
                            entries.add(entry(fifo, seq.getAndIncrement()));
                        }
                        List<String> ids = port.sendBatch(url, entries);
                        ids.forEach(ledger::acknowledged);
                        ledger.errors.addAndGet(batch - ids.size());
                    }
                } catch (RuntimeException e) {
                    error(ledger, e);
                }
            }
        }));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long acked = ledger.acknowledgedCount();
        r.put("messages", acked).put("seconds", seconds).put("rate", acked / seconds);
        putServerCost(r, acked);
        consume(
                url,
                ledger,
                o.clients(),
                1,
                deadlineIn(VERIFY_TIMEOUT),
                3,
                () -> ledger.receivedCount() >= ledger.acknowledgedCount(),
                null,
                null);
        return finish(r, url, ledger);
    }

    /** What a drain scenario's queue is: standard, FIFO, or standard with message groups (SQS fair queues). */
    private enum Kind {
        PLAIN("drain"),
        FIFO("fifo-drain"),
        FAIR("fair-drain");

        final String scenario;

        Kind(String scenario) {
            this.scenario = scenario;
        }
    }

    /**
     * (c) Pre-fill with batches (not timed), then 16 consumers receive 10 per call + DeleteMessageBatch. (g) The same
     * on a FIFO queue, its messages spread over 10 message groups (a receive takes runs of groups with none in flight).
     * (h) The same on a standard queue whose messages carry MessageGroupIds (a fair queue): 10 groups, one of which
     * sends every other message, so it is the noisy neighbour the receives hand out last.
     */
    private Result drain(Kind kind) {
        boolean fifo = kind == Kind.FIFO;
        Result r = base(kind.scenario);
        String url = port.createQueue(queueName(kind.scenario, fifo), fifo ? FIFO : STANDARD);
        Ledger ledger = new Ledger();
        long filled = fillQueue(url, o.messages(), deadlineIn(Duration.ofMinutes(10)), ledger, kind);
        if (filled < o.messages()) {
            r.put("note", "prefill_incomplete");
        }
        AtomicLong finishedAt = new AtomicLong();
        AtomicLong deleted = new AtomicLong();
        startMeasuring();
        long t0 = System.nanoTime();
        consume(
                url,
                ledger,
                o.clients(),
                1,
                deadlineIn(VERIFY_TIMEOUT),
                3,
                () -> ledger.receivedCount() >= filled,
                null,
                n -> {
                    if (deleted.addAndGet(n) >= filled) {
                        finishedAt.compareAndSet(0, System.nanoTime());
                    }
                });
        long end = finishedAt.get() == 0 ? System.nanoTime() : finishedAt.get();
        double seconds = (end - t0) / 1e9;
        r.put("messages", deleted.get()).put("seconds", seconds).put("rate", deleted.get() / seconds);
        putServerCost(r, deleted.get());
        return finish(r, url, ledger);
    }

    /**
     * (e) Sends at a fixed rate (each message's send start, System.nanoTime, in its body) while long-polling consumers
     * receive; latency is receive-return minus send-start, within this one JVM. The schedule is absolute, so a slow
     * send delays the next ones' start rather than lowering the offered rate.
     */
    private Result latency() {
        Result r = base("latency");
        String url = port.createQueue(queueName("latency", false), STANDARD);
        Ledger ledger = new Ledger();
        long total = (long) o.rate() * duration.toSeconds();
        long[] latencies = new long[(int) total];
        AtomicInteger recorded = new AtomicInteger();
        AtomicBoolean sendingDone = new AtomicBoolean();
        long intervalNanos = 1_000_000_000L / o.rate();
        startMeasuring();
        long consumeDeadline = deadlineIn(duration.plusSeconds(15));
        Thread consumerThread = Thread.ofPlatform()
                .name("latency-consumers")
                .start(() -> consume(
                        url,
                        ledger,
                        o.clients(),
                        2,
                        consumeDeadline,
                        Integer.MAX_VALUE,
                        () -> sendingDone.get() && ledger.receivedCount() >= ledger.acknowledgedCount(),
                        m -> {
                            long now = System.nanoTime();
                            long sentAt = Long.parseLong(
                                    m.body().substring(2, m.body().indexOf(';')));
                            int i = recorded.getAndIncrement();
                            if (i < latencies.length) {
                                latencies[i] = now - sentAt;
                            }
                        },
                        null));
        AtomicLong next = new AtomicLong();
        long t0 = System.nanoTime() + 50_000_000L;
        join(start(LATENCY_SENDERS, () -> {
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long due = t0 + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String timed = "t=" + System.nanoTime() + ";";
                String text = timed + body.substring(Math.min(timed.length(), body.length()));
                try {
                    ledger.acknowledged(port.send(url, new SqsPort.Entry(text, null, null)));
                } catch (RuntimeException e) {
                    error(ledger, e);
                }
            }
        }));
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        sendingDone.set(true);
        try {
            consumerThread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int n = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        r.put("messages", ledger.acknowledgedCount())
                .put("offered_rate", o.rate())
                .put("rate", ledger.acknowledgedCount() / sendSeconds)
                .put("p50_ms", percentileMs(sorted, 0.50))
                .put("p99_ms", percentileMs(sorted, 0.99))
                .put("max_ms", n == 0 ? -1.0 : sorted[n - 1] / 1e6);
        putServerCost(r, ledger.acknowledgedCount());
        return finish(r, url, ledger);
    }

    /**
     * (f) Server capacity with a near-free client: wrk replays one pre-built JSON 1.0 SendMessage request. wrk only
     * counts responses, so the check compares the queue's final count with the 2xx responses: fewer is a loss; more
     * (at most one per connection) is requests the server finished after wrk stopped reading.
     */
    private Result rawHttp() throws IOException, InterruptedException {
        Result r = base("raw-http")
                .put("sdk", "wrk")
                .put("clients", o.wrkConnections())
                .put("wrk_threads", o.wrkThreads());
        String url = port.createQueue(queueName("raw-http", false), STANDARD);
        String json = "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"" + body + "\"}";
        Path lua = Files.createTempFile("sluice-bench-send-", ".lua");
        Files.writeString(lua, """
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
                wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessage"
                wrk.body = [[%s]]
                """.formatted(json));
        long seconds = Math.max(1, duration.toSeconds());
        startMeasuring();
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t" + o.wrkThreads(),
                        "-c" + o.wrkConnections(),
                        "-d" + seconds + "s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-s",
                        lua.toString(),
                        o.endpoints().get(0) + "/")
                .redirectErrorStream(true)
                .start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 60, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Files.deleteIfExists(lua);
        long requests = longOf(out, "(\\d+) requests in");
        long non2xx = longOf(out, "Non-2xx or 3xx responses: (\\d+)");
        long acked = requests - non2xx;
        r.put("messages", acked)
                .put("rate", doubleOf(out, "Requests/sec:\\s+([\\d.]+)"))
                .put("p50_ms", wrkLatencyMs(out, "50%"))
                .put("p99_ms", wrkLatencyMs(out, "99%"));
        putServerCost(r, requests);
        Matcher socket = Pattern.compile("Socket errors: (.*)").matcher(out);
        long count = port.approximateCount(url);
        long lost = Math.max(0, acked - count);
        long extra = Math.max(0, count - acked);
        r.put("acked", acked)
                .put("in_queue", count)
                .put("lost", lost)
                .put("unexpected", extra)
                .put("non2xx", non2xx)
                .put("errors", non2xx);
        if (socket.find()) {
            r.put("socket_errors", socket.group(1).replace(",", ""));
        }
        port.deleteQueue(url);
        boolean ok = lost == 0 && non2xx == 0 && extra <= o.wrkConnections() && requests > 0;
        return r.put("status", ok ? "ok" : "FAILED");
    }

    /** Memory run: fills a named queue with batches and leaves it there. */
    private Result fill() {
        Result r = base("fill");
        String url = port.createQueue(o.queueName(), STANDARD);
        long t0 = System.nanoTime();
        long filled = fillQueue(url, o.messages(), deadlineIn(duration), null, Kind.PLAIN);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return r.put("queue_url", url)
                .put("messages", filled)
                .put("seconds", seconds)
                .put("rate", filled / seconds)
                .put("status", filled == o.messages() ? "ok" : "incomplete");
    }

    /**
     * Receives (10 at a time) and deletes {@code --messages} messages of an existing queue ({@code --queue-url}), the
     * messages another run left there: the drain rate of a backlog as it is (bench/run --memory: a paged one).
     */
    private Result take() {
        Result r = base("take");
        String url = o.queueUrl();
        Ledger ledger = new Ledger();
        AtomicLong deleted = new AtomicLong();
        AtomicLong finishedAt = new AtomicLong();
        startMeasuring();
        long t0 = System.nanoTime();
        consume(url, ledger, o.clients(), 1, deadlineIn(duration), 3, () -> deleted.get() >= o.messages(), null, n -> {
            if (deleted.addAndGet(n) >= o.messages()) {
                finishedAt.compareAndSet(0, System.nanoTime());
            }
        });
        long end = finishedAt.get() == 0 ? System.nanoTime() : finishedAt.get();
        double seconds = (end - t0) / 1e9;
        r.put("messages", deleted.get()).put("seconds", seconds).put("rate", deleted.get() / seconds);
        putServerCost(r, deleted.get());
        return r.put("duplicates", ledger.duplicates())
                .put("status", deleted.get() >= o.messages() && ledger.duplicates() == 0 ? "ok" : "incomplete");
    }

    private long fillQueue(String url, long count, long deadline, Ledger ledger, Kind kind) {
        AtomicLong budget = new AtomicLong();
        AtomicLong filled = new AtomicLong();
        Ledger errors = ledger == null ? new Ledger() : ledger;
        join(start(o.clients(), () -> {
            long taken;
            while (System.nanoTime() < deadline && (taken = budget.getAndAdd(BATCH)) < count) {
                int n = (int) Math.min(BATCH, count - taken);
                var entries = new ArrayList<SqsPort.Entry>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(entry(kind, taken + i));
                }
                try {
                    List<String> ids = port.sendBatch(url, entries);
                    filled.addAndGet(ids.size());
                    if (ledger != null) {
                        ids.forEach(ledger::acknowledged);
                    }
                    if (ids.size() < n) {
                        budget.addAndGet(-(n - ids.size()));
                    }
                } catch (RuntimeException e) {
                    error(errors, e);
                    budget.addAndGet(-n);
                }
            }
        }));
        return filled.get();
    }

    /**
     * Consumers receive up to 10 per call and delete each batch, until {@code done}, the deadline, or
     * {@code maxEmptyStreak} empty receives in a row.
     */
    private void consume(
            String url,
            Ledger ledger,
            int consumers,
            int waitTimeSeconds,
            long deadline,
            int maxEmptyStreak,
            BooleanSupplier done,
            Consumer<SqsPort.Received> observer,
            Consumer<Integer> onDeleted) {
        join(start(consumers, () -> {
            int empty = 0;
            while (System.nanoTime() < deadline && !done.getAsBoolean() && empty < maxEmptyStreak) {
                try {
                    List<SqsPort.Received> got = port.receive(url, 10, waitTimeSeconds);
                    if (got.isEmpty()) {
                        empty++;
                        continue;
                    }
                    empty = 0;
                    var handles = new ArrayList<String>(got.size());
                    for (SqsPort.Received m : got) {
                        ledger.received(m.messageId());
                        handles.add(m.receiptHandle());
                        if (observer != null) {
                            observer.accept(m);
                        }
                    }
                    int deleted = port.deleteBatch(url, handles);
                    ledger.errors.addAndGet(got.size() - deleted);
                    if (onDeleted != null) {
                        onDeleted.accept(deleted);
                    }
                } catch (RuntimeException e) {
                    error(ledger, e);
                    LockSupport.parkNanos(10_000_000L);
                }
            }
        }));
    }

    private void startMeasuring() {
        fsyncs.start();
        store.start();
        cpu.start();
    }

    /** Server CPU, sync calls and the store's counters (when probed) of the measured phase, per message. */
    private void putServerCost(Result r, long messages) {
        r.put("cpu_ms_per_1k", cpu.msPer1000(messages));
        store.put(r, messages);
        long syncs = fsyncs.stop();
        r.put("syncs", syncs);
        if (syncs > 0) {
            r.put("msgs_per_sync", messages / (double) syncs);
        }
    }

    private Result finish(Result r, String url, Ledger ledger) {
        long left = port.approximateCount(url);
        ledger.putChecks(r);
        r.put("left", left);
        port.deleteQueue(url);
        boolean ok = ledger.lost() == 0
                && ledger.duplicates() == 0
                && ledger.unexpected() == 0
                && left == 0
                && ledger.acknowledgedCount() > 0;
        return r.put("status", ok ? "ok" : "FAILED");
    }

    private Result base(String scenario) {
        return new Result()
                .put("scenario", scenario)
                .put("server", o.label())
                .put("sdk", o.sdk())
                .put("clients", o.clients());
    }

    private SqsPort.Entry entry(boolean fifo, long seq) {
        return entry(fifo ? Kind.FIFO : Kind.PLAIN, seq);
    }

    private SqsPort.Entry entry(Kind kind, long seq) {
        return switch (kind) {
            case PLAIN -> new SqsPort.Entry(body, null, null);
            case FIFO -> new SqsPort.Entry(body, "g" + (seq % FIFO_GROUPS), o.runId() + "-" + seq);
            case FAIR -> new SqsPort.Entry(body, seq % 2 == 0 ? "g0" : "g" + (1 + seq / 2 % (FAIR_GROUPS - 1)), null);
        };
    }

    private String queueName(String scenario, boolean fifo) {
        return "bench-" + o.runId() + "-" + scenario + (fifo ? ".fifo" : "");
    }

    private static ExecutorService start(int threads, Runnable task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            pool.execute(task);
        }
        pool.shutdown();
        return pool;
    }

    private static void join(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(20, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static long deadlineIn(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static void error(Ledger ledger, RuntimeException e) {
        ledger.errors.incrementAndGet();
        if (ERRORS_LOGGED.getAndIncrement() < 5) {
            System.err.println("loadgen: " + e.getClass().getSimpleName() + ": " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replace(' ', '_');
    }

    private static double percentileMs(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
    }

    private static long longOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double doubleOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double wrkLatencyMs(String text, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s|m)\\b")
                .matcher(text);
        if (!m.find()) {
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
