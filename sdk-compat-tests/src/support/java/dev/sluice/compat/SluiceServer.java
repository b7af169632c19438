package dev.sluice.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives a test class one Sluice endpoint, shared by its methods, as a {@link URI} parameter.
 * Normally it starts the packaged server ({@code -Dsluice.jar}, default {@code ../target/quarkus-app/quarkus-run.jar}
 * relative to this module) on a free port and a fresh data directory, and stops it after the class; with
 * {@code -Dsluice.endpoint=http://127.0.0.1:PORT} it starts nothing and uses that endpoint instead.
 */
public final class SluiceServer implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SluiceServer.class);

    /**
     * A test class (with a per-class instance) whose server starts with more JVM options implements this: the same
     * suite then runs against another mode of the server (e.g. {@code -Dsluice.storage=postgres}) without a copy.
     */
    public interface Options {
        List<String> serverJvmArgs();
    }

    /** The endpoint named by {@code -Dsluice.endpoint}, if any. */
    public static Optional<URI> externalEndpoint() {
        String endpoint = System.getProperty("sluice.endpoint", "").strip();
        return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
    }

    /** The server jar: {@code -Dsluice.jar}, resolved against this module's directory. */
    public static Path jar() {
        Path moduleDir = Path.of(System.getProperty("sluice.module.dir", "."));
        return moduleDir
                .resolve(System.getProperty("sluice.jar", "../target/quarkus-app/quarkus-run.jar"))
                .normalize()
                .toAbsolutePath();
    }

    /** target/ of this module, where server logs and data directories go. */
    static Path buildDir() {
        return Path.of(System.getProperty("sluice.build.dir", "target")).toAbsolutePath();
    }

    /** A fresh directory under target/ for a server's data. */
    public static Path newDataDir(String stem) {
        try {
            Path parent = Files.createDirectories(buildDir().resolve("sluice-data"));
            return Files.createTempDirectory(parent, stem + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path logFile(String name) {
        return buildDir().resolve("sluice-logs").resolve(name + ".log");
    }

    /**
     * A server of the caller's own with {@code options} (settings the shared server lacks, e.g. the sigv4 auth mode),
     * on a free port and a fresh data directory, logging to {@code NAME}; with {@code -Dsluice.endpoint} set the
     * caller is skipped (an assumption fails), since that server's settings are not the caller's.
     */
    static SluiceProcess startOwn(String name, List<String> options) {
        Assumptions.assumeTrue(
                externalEndpoint().isEmpty(), "needs its own server (" + String.join(" ", options) + ")");
        return SluiceProcess.start(jar(), newDataDir(name), SluiceProcess.freePort(), logFile(name), options);
    }

    /**
     * A server of the caller's own that it may kill, started on a free port and a fresh data directory, logging to
     * {@code NAME-before-kill}; with {@code -Dsluice.endpoint} set the caller is skipped (an assumption fails), since
     * that server is not ours to kill.
     */
    static SluiceProcess startToKill(String name) {
        Assumptions.assumeTrue(
                externalEndpoint().isEmpty(), "-Dsluice.endpoint is set: the server is not ours to kill");
        return SluiceProcess.start(jar(), newDataDir(name), SluiceProcess.freePort(), logFile(name + "-before-kill"));
    }

    /**
     * SIGKILL (no graceful shutdown), then the same jar, data directory and port again, logging to
     * {@code NAME-after-kill}.
     */
    static SluiceProcess killAndRestart(SluiceProcess server, String name) {
        server.killHard();
        return server.restart(logFile(name + "-after-kill"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return endpoint(context);
    }

    private static URI endpoint(ExtensionContext context) {
        var classContext = classContext(context);
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", key -> start(classContext), Running.class)
                .endpoint();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        var current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static Running start(ExtensionContext context) {
        var external = externalEndpoint();
        if (external.isPresent()) {
            return new Running(external.get(), null);
        }
        String name = context.getRequiredTestClass().getSimpleName();
        List<String> jvmArgs = context.getTestInstance()
                .filter(Options.class::isInstance)
                .map(instance -> ((Options) instance).serverJvmArgs())
                .orElse(List.of());
        var process = SluiceProcess.start(jar(), newDataDir(name), SluiceProcess.freePort(), logFile(name), jvmArgs);
        return new Running(process.endpoint(), process);
    }

    /** Closed by JUnit with the class's store, which stops the server. */
    private record Running(URI endpoint, SluiceProcess process) implements AutoCloseable {
        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }
}
