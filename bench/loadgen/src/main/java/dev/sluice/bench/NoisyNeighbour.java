package dev.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The noisy-neighbour scenario of issue 17 against a sigv4 Sluice with two tenants and an admin token (bench/noisy
 * starts it). Tenant B sends one 1 KiB message every 20 ms through SDK v2 and measures each SendMessage's latency;
 * tenant A floods its own queue with SendMessageBatch (10 x 1 KiB) through wrk, replaying one request signed with A's
 * key. Three phases per repetition, each {@code --seconds} long: B alone; A flooding without a quota; A flooding with
 * a quota of {@code --quota} requests per second, burst a tenth of that (set through the admin API, removed
 * afterwards). A's queue is purged after each flood. An unmeasured flood of {@code --warmup-seconds} comes first.
 * Prints one RESULT line per phase and repetition, then a Markdown table of medians (min–max).
 */
public final class NoisyNeighbour {
    private static final String BODY = "x".repeat(1024);

    private final Map<String, String> o;
    private final String endpoint;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long serverPid;
    private final long clockTicks;

    private NoisyNeighbour(Map<String, String> options) {
        this.o = options;
        this.endpoint = options.get("endpoint");
        this.serverPid = Long.parseLong(options.getOrDefault("server-pid", "0"));
        this.clockTicks = Long.parseLong(options.getOrDefault("clock-ticks", "100"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        for (String required : List.of("endpoint", "admin-token", "tenant-a", "tenant-b")) {
            if (!options.containsKey(required)) {
                System.err.println("noisy: --" + required + " is required (tenants as account:key:secret)");
                System.exit(2);
            }
        }
        if (!options.get("endpoint").startsWith("http://127.0.0.1:")) {
            System.err.println("noisy: --endpoint must start with http://127.0.0.1:");
            System.exit(2);
        }
        new NoisyNeighbour(options).run();
        System.exit(0);
    }

    private record Phase(String name, boolean flood, boolean quota) {}

    private static final List<Phase> PHASES = List.of(
            new Phase("B alone", false, false),
            new Phase("A floods, no quota", true, false),
            new Phase("A floods, A's quota", true, true));

    private void run() throws Exception {
        int reps = Integer.parseInt(o.getOrDefault("reps", "3"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "15"));
        long quota = Long.parseLong(o.getOrDefault("quota", "1000"));
        String[] a = o.get("tenant-a").split(":", 3);
        String[] b = o.get("tenant-b").split(":", 3);
        try (SqsClient clientA = client(a[1], a[2]);
                SqsClient clientB = client(b[1], b[2])) {
            String floodUrl =
                    clientA.createQueue(r -> r.queueName("noisy-flood")).queueUrl();
            String steadyUrl = clientB.createQueue(r -> r.queueName("steady")).queueUrl();
            int warmup = Integer.parseInt(o.getOrDefault("warmup-seconds", "10"));
            if (warmup > 0) {
                // Unmeasured: the server's JIT and the clients' connections warm up on the flood path and B's path.
                admin("DELETE", "/admin/tenants/" + a[0] + "/quota", null);
                phase(PHASES.get(1), warmup, clientB, steadyUrl, floodUrl, a);
                clientA.purgeQueue(r -> r.queueUrl(floodUrl));
                clientB.purgeQueue(r -> r.queueUrl(steadyUrl));
                Thread.sleep(2000);
            }
            Map<String, List<Map<String, Double>>> byPhase = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                for (Phase phase : PHASES) {
                    admin("DELETE", "/admin/tenants/" + a[0] + "/quota", null);
                    if (phase.quota()) {
                        admin(
                                "PUT",
                                "/admin/tenants/" + a[0] + "/quota",
                                "{\"requestsPerSecond\":" + quota + ",\"requestBurst\":" + Math.max(1, quota / 10)
                                        + "}");
                    }
                    Map<String, Double> figures = phase(phase, seconds, clientB, steadyUrl, floodUrl, a);
                    figures.put("quota", phase.quota() ? (double) quota : 0);
                    if (phase.quota()) {
                        String usage = admin("GET", "/admin/tenants/" + a[0] + "/quota", null);
                        figures.put("a_throttled", (double) longOf(usage, "\"requests\":(\\d+)"));
                    }
                    admin("DELETE", "/admin/tenants/" + a[0] + "/quota", null);
                    if (phase.flood()) {
                        clientA.purgeQueue(r -> r.queueUrl(floodUrl));
                    }
                    clientB.purgeQueue(r -> r.queueUrl(steadyUrl));
                    Thread.sleep(2000);
                    StringBuilder line = new StringBuilder("RESULT rep=" + rep + " phase=\"" + phase.name() + "\"");
                    figures.forEach((k, v) ->
                            line.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v)));
                    System.out.println(line);
                    byPhase.computeIfAbsent(phase.name(), k -> new ArrayList<>())
                            .add(figures);
                }
            }
            System.out.println(table(byPhase, reps, seconds, quota));
        }
    }

    private Map<String, Double> phase(
            Phase phase, int seconds, SqsClient clientB, String steadyUrl, String floodUrl, String[] a)
            throws Exception {
        Process wrk = null;
        Path lua = null;
        long cpuBefore = cpuTicks();
        long t0 = System.nanoTime();
        if (phase.flood()) {
            lua = Files.createTempFile("sluice-noisy-", ".lua");
            Files.writeString(lua, signedBatch(floodUrl, a[1], a[2]));
            wrk = new ProcessBuilder(
                            "wrk",
                            "-t" + o.getOrDefault("wrk-threads", "2"),
                            "-c" + o.getOrDefault("connections", "64"),
                            "-d" + seconds + "s",
                            "--timeout",
                            "10s",
                            "-s",
                            lua.toString(),
                            endpoint + "/")
                    .redirectErrorStream(true)
                    .start();
            Thread.sleep(500); // the flood is under way before B's first send
        }
        double[] latencies =
                steady(clientB, steadyUrl, Duration.ofSeconds(seconds).minusMillis(phase.flood() ? 1000 : 0));
        Map<String, Double> figures = new LinkedHashMap<>();
        if (wrk != null) {
            String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(seconds + 60, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new IllegalStateException("wrk did not finish");
            }
            Files.deleteIfExists(lua);
            double elapsed = doubleOf(out, "requests in ([\\d.]+)s");
            long requests = longOf(out, "(\\d+) requests in");
            long non2xx = longOf(out, "Non-2xx or 3xx responses: (\\d+)");
            figures.put("a_ok_per_s", (requests - non2xx) / elapsed);
            figures.put("a_msgs_per_s", 10 * (requests - non2xx) / elapsed);
            figures.put("a_refused_per_s", non2xx / elapsed);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        figures.put("b_sends", (double) latencies.length);
        figures.put("b_p50_ms", percentile(latencies, 0.50));
        figures.put("b_p99_ms", percentile(latencies, 0.99));
        figures.put("b_max_ms", latencies.length == 0 ? 0 : latencies[latencies.length - 1]);
        figures.put("server_cpu_pct", serverPid <= 0 ? -1 : (cpuTicks() - cpuBefore) * 100.0 / clockTicks / wall);
        return figures;
    }

    /** B: one SendMessage every 20 ms on an absolute schedule; the latency of each, ms. Errors count as NaN-free misses. */
    private static double[] steady(SqsClient client, String url, Duration length) throws InterruptedException {
        List<Double> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long next = start;
        while (next < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long t = System.nanoTime();
            client.sendMessage(r -> r.queueUrl(url).messageBody(BODY));
            latencies.add((System.nanoTime() - t) / 1e6);
            next += 20_000_000L;
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A wrk script replaying one SendMessageBatch of 10 x 1 KiB signed by A's key (valid for SigV4's 15 minutes). */
    @SuppressWarnings("deprecation")
    private String signedBatch(String queueUrl, String key, String secret) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            entries.append(i == 0 ? "" : ",")
                    .append("{\"Id\":\"e")
                    .append(i)
                    .append("\",\"MessageBody\":\"")
                    .append(BODY)
                    .append("\"}");
        }
        String body = "{\"QueueUrl\":\"" + queueUrl + "\",\"Entries\":[" + entries + "]}";
        SdkHttpFullRequest signed = Aws4Signer.create()
                .sign(
                        SdkHttpFullRequest.builder()
                                .method(SdkHttpMethod.POST)
                                .uri(URI.create(endpoint + "/"))
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("X-Amz-Target", "AmazonSQS.SendMessageBatch")
                                .putHeader("x-amzn-query-mode", "true")
                                .contentStreamProvider(
                                        RequestBody.fromString(body).contentStreamProvider())
                                .build(),
                        Aws4SignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(key, secret))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .build());
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                lua.append("wrk.headers[\"")
                        .append(name)
                        .append("\"] = \"")
                        .append(values.getFirst())
                        .append("\"\n");
            }
        });
        return lua.append("wrk.body = [[").append(body).append("]]\n").toString();
    }

    private SqsClient client(String key, String secret) {
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private String admin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                .header("Authorization", "Bearer " + o.get("admin-token"))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private long cpuTicks() throws IOException {
        if (serverPid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long longOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double doubleOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String table(Map<String, List<Map<String, Double>>> byPhase, int reps, int seconds, long quota) {
        StringBuilder t = new StringBuilder();
        t.append("Median (min–max) over ")
                .append(reps)
                .append(" repetitions of ")
                .append(seconds)
                .append(" s per phase; A's quota: ")
                .append(quota)
                .append(" requests/s.\n\n");
        t.append(
                "| phase | B p50 ms | B p99 ms | B max ms | A accepted batches/s | A msgs/s | A refused/s | server CPU % |\n");
        t.append("|---|---|---|---|---|---|---|---|\n");
        byPhase.forEach((phase, runs) -> t.append("| ")
                .append(phase)
                .append(" | ")
                .append(summary(runs, "b_p50_ms"))
                .append(" | ")
                .append(summary(runs, "b_p99_ms"))
                .append(" | ")
                .append(summary(runs, "b_max_ms"))
                .append(" | ")
                .append(summary(runs, "a_ok_per_s"))
                .append(" | ")
                .append(summary(runs, "a_msgs_per_s"))
                .append(" | ")
                .append(summary(runs, "a_refused_per_s"))
                .append(" | ")
                .append(summary(runs, "server_cpu_pct"))
                .append(" |\n"));
        return t.toString();
    }

    private static String summary(List<Map<String, Double>> runs, String key) {
        double[] values = runs.stream()
                .filter(r -> r.containsKey(key))
                .mapToDouble(r -> r.get(key))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return "–";
        }
        return format(values[values.length / 2]) + " (" + format(values[0]) + "–" + format(values[values.length - 1])
                + ")";
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
