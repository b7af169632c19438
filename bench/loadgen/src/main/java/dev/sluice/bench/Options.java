package dev.sluice.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line settings of one loadgen run; every loop in a scenario is bounded by {@link #duration} or a count. */
record Options(
        String scenario,
        String endpoint,
        String sdk,
        String label,
        String runId,
        int clients,
        Duration duration,
        Duration warmup,
        long messages,
        long maxMessages,
        int rate,
        int bodyBytes,
        List<Long> serverPids,
        long clockTicks,
        boolean countFsyncs,
        int wrkThreads,
        int wrkConnections,
        String queueUrl,
        String queueName,
        String storeProbe) {

    static final String USAGE = """
            usage: loadgen --scenario NAME --endpoint http://127.0.0.1:PORT[,http://127.0.0.1:PORT2...] [options]
              scenarios: send | batch | drain | fifo | fifo-drain | latency | raw-http | fill | take | count | create-queue
                         (a comma-separated list runs them in order in one JVM, one RESULT line each)
              --warmup-seconds W    first send and batch-send W seconds each, unmeasured (default 0)
              --sdk v2|v1           AWS SDK for Java v2 (JSON 1.0, default) or v1 1.12.500 (query protocol)
              --label NAME          server name written into the RESULT line
              --run-id ID           prefix of queue names (default: current time)
              --clients N           concurrent clients (default 16)
              --seconds S           measured duration of timed scenarios (default 10)
              --messages N          messages of drain / fill (default 100000)
              --max-messages N      cap on messages of timed send scenarios (default 2000000)
              --rate R              latency scenario send rate per second (default 1000)
              --body-bytes B        message body size (default 1024)
              --server-pid PID[,PID2...]
                                    server process(es), for CPU per 1,000 messages from /proc/PID/stat (summed)
              (several endpoints: replicas of one server; each call goes to the next one in turn; raw-http uses
              the first)
              --clock-ticks T       getconf CLK_TCK (default 100)
              --count-fsyncs true   count the server's fsync/fdatasync/msync calls with perf stat (needs perf)
              --wrk-threads T       raw-http: wrk threads (default 2)
              --wrk-connections C   raw-http: wrk connections (default 64)
              --queue-url URL       count, take: the queue to count / to take --messages from
              --queue-name NAME     fill / create-queue: the queue name
              --store-probe CMD     shell command printing name=number counters of the server's store; read at the
                                    start and end of each measured phase, reported as name_per_msg
            """;

    static Options parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        if (!m.containsKey("scenario") || !m.containsKey("endpoint")) {
            throw new IllegalArgumentException("--scenario and --endpoint are required");
        }
        return new Options(
                m.get("scenario"),
                m.get("endpoint"),
                m.getOrDefault("sdk", "v2"),
                m.getOrDefault("label", "server"),
                m.getOrDefault("run-id", Long.toString(System.currentTimeMillis())),
                Integer.parseInt(m.getOrDefault("clients", "16")),
                Duration.ofMillis((long) (Double.parseDouble(m.getOrDefault("seconds", "10")) * 1000)),
                Duration.ofMillis((long) (Double.parseDouble(m.getOrDefault("warmup-seconds", "0")) * 1000)),
                Long.parseLong(m.getOrDefault("messages", "100000")),
                Long.parseLong(m.getOrDefault("max-messages", "2000000")),
                Integer.parseInt(m.getOrDefault("rate", "1000")),
                Integer.parseInt(m.getOrDefault("body-bytes", "1024")),
                Arrays.stream(m.getOrDefault("server-pid", "0").split(","))
                        .map(Long::parseLong)
                        .filter(pid -> pid > 0)
                        .toList(),
                Long.parseLong(m.getOrDefault("clock-ticks", "100")),
                Boolean.parseBoolean(m.getOrDefault("count-fsyncs", "false")),
                Integer.parseInt(m.getOrDefault("wrk-threads", "2")),
                Integer.parseInt(m.getOrDefault("wrk-connections", "64")),
                m.get("queue-url"),
                m.get("queue-name"),
                m.get("store-probe"));
    }

    /** The endpoints of {@code --endpoint}, a comma-separated list (replicas of one server). */
    List<String> endpoints() {
        return List.of(endpoint.split(","));
    }
}
