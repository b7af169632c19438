package dev.sluice.security;

import dev.sluice.compat.SluiceProcess;
import dev.sluice.compat.SluiceServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The packaged server an attack runs against: started as its own process on a free port of 127.0.0.1 with the
 * settings the attack needs, read back through its own {@code /q/metrics} and log file.
 */
final class Target implements AutoCloseable {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

    private final SluiceProcess process;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Target(SluiceProcess process) {
        this.process = process;
    }

    static Target start(Class<?> test, List<String> settings) {
        Assumptions.assumeTrue(
                SluiceServer.externalEndpoint().isEmpty(), "attacks need a server of their own, with their settings");
        String name = "security-" + test.getSimpleName();
        return new Target(SluiceProcess.start(
                SluiceServer.jar(),
                SluiceServer.newDataDir(name),
                SluiceProcess.freePort(),
                SluiceServer.logFile(name),
                settings));
    }

    URI endpoint() {
        return process.endpoint();
    }

    /** The sum of a metric's samples at /q/metrics whose labels contain {@code labels} (empty: all of them). */
    double metric(String name, String labels) {
        String text;
        try {
            HttpResponse<String> reply = http.send(
                    HttpRequest.newBuilder(endpoint().resolve("/q/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            text = reply.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.strip());
            if (sample.matches()
                    && sample.group(1).equals(name)
                    && (sample.group(2) == null ? "" : sample.group(2)).contains(labels)) {
                sum += Double.parseDouble(sample.group(3));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no metric " + name + "{" + labels + "} at /q/metrics");
        }
        return sum;
    }

    /** Bytes held by request bodies being received (Sluice's own gauge). */
    long bodyBytes() {
        return (long) metric("sluice_request_body_bytes", "");
    }

    /** Bytes of the heap's old generation in use: where G1 puts arrays of megabytes at once. */
    long oldGenBytes() {
        return (long) metric("jvm_memory_used_bytes", "id=\"G1 Old Gen\"");
    }

    /** The server's log so far. */
    String log() {
        try {
            return Files.readString(process.log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the condition every 50 ms until it holds or the time is up; true if it held. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
