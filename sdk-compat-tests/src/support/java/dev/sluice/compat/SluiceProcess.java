package dev.sluice.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Sluice server ({@code quarkus-run.jar}) run as a child process of the test JVM, on 127.0.0.1, a port
 * and a data directory chosen by the caller, so a test can kill it hard and start it again on the same port and data.
 * Its stdout and stderr go to a log file under target/ that failures quote. The java binary is the test JVM's own
 * ({@code java.home}), which the build requires to be 21 or newer.
 */
public final class SluiceProcess implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final Process process;
    private final Thread reaper;

    private SluiceProcess(Path jar, Path dataDir, int port, Path log, Process process) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
        this.process = process;
        // A test JVM that dies without closing us must not leave a server holding the port.
        this.reaper = new Thread(process::destroyForcibly, "sluice-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts the jar and waits until {@code GET /q/health/ready} answers 200, or fails with the log's tail. */
    static SluiceProcess start(Path jar, Path dataDir, int port, Path log) {
        return start(jar, dataDir, port, log, List.of());
    }

    /** As {@link #start(Path, Path, int, Path)}, with more JVM options (e.g. {@code -Dsluice.auth.mode=sigv4}). */
    public static SluiceProcess start(Path jar, Path dataDir, int port, Path log, List<String> jvmArgs) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Sluice server at " + jar + ". Build it first at the repository root"
                    + " (./mvnw -B package -DskipTests), point -Dsluice.jar at it, or run against a running server"
                    + " with -Dsluice.endpoint=http://127.0.0.1:PORT");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dsluice.data-dir=" + dataDir);
        command.addAll(jvmArgs);
        String extra = System.getProperty("sluice.server.jvm-args", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator());
            Process process = new ProcessBuilder(command)
                    .directory(jar.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            var server = new SluiceProcess(jar, dataDir, port, log, process);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /** The same jar, data directory and port again, after this process has ended; the log goes to {@code newLog}. */
    SluiceProcess restart(Path newLog) {
        return restart(newLog, List.of());
    }

    /** As {@link #restart(Path)}, with these JVM options. */
    SluiceProcess restart(Path newLog, List<String> jvmArgs) {
        if (process.isAlive()) {
            throw new IllegalStateException("Stop or kill the server before restarting it");
        }
        return start(jar, dataDir, port, newLog, jvmArgs);
    }

    Path dataDir() {
        return dataDir;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    /**
     * SIGTERM, as docker stop and Kubernetes send it, then waits up to {@code timeout} for the process to end and
     * returns its exit status; a process still running then is killed and the call fails.
     */
    int terminate(Duration timeout) {
        signalTerm();
        return exitStatusWithin(timeout);
    }

    /** SIGTERM, without waiting. */
    void signalTerm() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the process to end and returns its status; kills it and fails if it has not. */
    int exitStatusWithin(Duration timeout) {
        if (!awaitExit(timeout)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
            throw new IllegalStateException(
                    "Sluice did not stop within %s of SIGTERM; log %s:%n%s".formatted(timeout, log, logTail(60)));
        }
        return process.exitValue();
    }

    /** What a run that was expected to end by itself printed, and its exit status. */
    record Finished(int exitStatus, String output) {}

    /**
     * Runs the jar with these JVM options and program arguments until it ends by itself (within a minute), e.g. with
     * {@code --version} or a start that must be refused; {@code dataDir} is the data directory it is given.
     */
    static Finished runToEnd(Path jar, Path dataDir, List<String> jvmArgs, List<String> programArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + freePort());
        command.add("-Dsluice.data-dir=" + dataDir);
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(programArgs);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(jar.getParent().toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after 60 s: " + command);
            }
            return new Finished(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole server log so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL on Linux: no shutdown hooks, no flush, no graceful close of the store. */
    void killHard() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then SIGKILL if the server has not ended within 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(20))) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting; the hook runs anyway and finds the process gone.
        }
    }

    /** The last lines of the server log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        var ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        var deadline = Instant.now().plus(READY_TIMEOUT);
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Sluice exited with status %d before it was ready; log %s:%n%s"
                            .formatted(process.exitValue(), log, logTail(60)));
                }
                try {
                    var response = http.send(
                            HttpRequest.newBuilder(ready)
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYetListening) {
                    // Connection refused until Quarkus has bound the port.
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while waiting for Sluice", e);
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                "Sluice was not ready within %s at %s; log %s:%n%s".formatted(READY_TIMEOUT, ready, log, logTail(60)));
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
