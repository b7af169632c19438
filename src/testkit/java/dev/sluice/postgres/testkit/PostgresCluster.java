package dev.sluice.postgres.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own for the tests: {@code initdb} into a temporary directory, {@code pg_ctl start} on a
 * free port of 127.0.0.1 (unix socket in the same directory, trust authentication), {@code pg_ctl stop} and the
 * directory deleted at the end. No Docker, no mocks: the server binaries of the machine (on the PATH, else Debian's
 * {@code /usr/lib/postgresql/<version>/bin}; {@code .ci/run} installs them when missing). When the tests run as root
 * the server runs as the {@code postgres} user through {@code runuser}, because initdb and postgres refuse root.
 *
 * <p>One cluster serves the whole test JVM ({@link #shared()}); each test class takes a fresh database from it
 * ({@link #createDatabase}). This source root ({@code src/testkit/java}) is compiled into the tests of the server and
 * of {@code sdk-compat-tests}, so it needs only the JDK, JUnit and the JDBC driver. fsync is
 * off (the tests never crash the machine); full_page_writes stays on, so WAL measured here is what a real server
 * writes. {@code pg_stat_statements} is loaded, so a test can count the statements a server ran ({@link #calls}).
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String USER = "postgres";

    private static PostgresCluster shared;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path binaries;
    private final Path directory;
    private final boolean asPostgresUser;
    private int port;

    private PostgresCluster(Path binaries, Path directory, boolean asPostgresUser) {
        this.binaries = binaries;
        this.directory = directory;
        this.asPostgresUser = asPostgresUser;
    }

    /** The cluster of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresCluster shared() {
        if (shared == null) {
            shared = start();
            PostgresCluster started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "postgres-cluster-stop"));
        }
        return shared;
    }

    /** Starts a new cluster; the caller closes it. */
    public static PostgresCluster start() {
        Path binaries = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path directory = Files.createTempDirectory("sluice-pg-");
            if (root) {
                UserPrincipal postgres = directory
                        .getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(USER);
                Files.setOwner(directory, postgres);
            }
            PostgresCluster cluster = new PostgresCluster(binaries, directory, root);
            cluster.initdb();
            // The free port is free when asked, not necessarily when the server binds it: another one if taken.
            for (int attempt = 1; ; attempt++) {
                cluster.port = freePort();
                try {
                    cluster.startServer();
                    return cluster;
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    /** {@code postgresql://127.0.0.1:port/database} for the reactive client. */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * A new, empty database (no schema: the server or {@code PostgresExtension.migratedDatabase} migrates it); its name
     * starts with {@code prefix}.
     */
    public String createDatabase(String prefix) {
        String name = (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase();
        execute("postgres", "create database " + name);
        return name;
    }

    /** A new database copied from {@code template} (schema and rows: fast, no migration); named as above. */
    public String createDatabaseFrom(String template, String prefix) {
        String name = (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase();
        execute("postgres", "create database " + name + " template " + template);
        return name;
    }

    /** Runs one statement through JDBC (set-up and inspection in tests, not the code under test). */
    public void execute(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * How many times statements of {@code database} whose text is {@code like} the pattern have run so far, counted by
     * {@code pg_stat_statements} (the extension is created in the {@code postgres} database, which its view reads for
     * every database, so the migrated schema stays as Flyway made it).
     */
    public long calls(String database, String like) {
        execute("postgres", "create extension if not exists pg_stat_statements");
        try (Connection connection = connect("postgres");
                var statement = connection.prepareStatement("select coalesce(sum(s.calls), 0) from pg_stat_statements s"
                        + " join pg_database d on d.oid = s.dbid where d.datname = ? and s.query like ?")) {
            statement.setString(1, database);
            statement.setString(2, like);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("pg_stat_statements: " + e.getMessage(), e);
        }
    }

    /** A JDBC connection as the superuser, for set-up and inspection. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** The server's log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(directory.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private void initdb() {
        run(
                "initdb",
                List.of(
                        "-D",
                        directory.resolve("data").toString(),
                        "-U",
                        USER,
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--no-sync"),
                120);
    }

    private String serverOptions() {
        return String.join(
                " ",
                "-c listen_addresses=127.0.0.1",
                "-p " + port,
                "-k " + directory,
                "-c fsync=off",
                "-c max_connections=200",
                "-c shared_preload_libraries=pg_stat_statements");
    }

    private void startServer() {
        run("pg_ctl", control("start"), 90);
    }

    /** pg_ctl's arguments for {@code action} (start, restart) with this cluster's data, log and options. */
    private List<String> control(String action, String... flags) {
        List<String> arguments = new ArrayList<>(List.of(
                "-D", directory.resolve("data").toString(), "-l", directory.resolve("server.log").toString()));
        arguments.addAll(List.of(flags));
        arguments.addAll(List.of("-w", "-t", "60", "-o", serverOptions(), action));
        return arguments;
    }

    /**
     * {@code pg_ctl stop -m immediate}: the server quits at once, as in a crash (open connections cut, no checkpoint;
     * the next start recovers from the WAL). {@link #startAgain} starts it on the same port.
     */
    public synchronized void stopImmediately() {
        run("pg_ctl", List.of("-D", directory.resolve("data").toString(), "-m", "immediate", "-w", "stop"), 60);
    }

    /** Starts the server again after {@link #stopImmediately}, on the same port (crash recovery first). */
    public synchronized void startAgain() {
        startServer();
    }

    /**
     * {@code pg_ctl restart -m immediate}: stopped as in a crash and started again at once, with the same options and
     * port (the start recovers from the WAL).
     */
    public synchronized void restartImmediately() {
        run("pg_ctl", control("restart", "-m", "immediate"), 90);
    }

    /** Stops the server at once (open connections are cut) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (!Files.isDirectory(directory.resolve("data"))) {
            return;
        }
        try {
            run("pg_ctl", List.of("-D", directory.resolve("data").toString(), "-m", "immediate", "-w", "stop"), 60);
        } finally {
            deleteRecursively(directory);
        }
    }

    private void run(String program, List<String> arguments, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.add(binaries.resolve(program).toString());
        command.addAll(arguments);
        try {
            Path output = Files.createTempFile("sluice-pg-" + program, ".log");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n"
                            + Files.readString(output) + "\n" + log());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path findBinaries() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "pg_ctl");
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().getParent();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(
                            bin.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> noServer(null));
        } catch (IOException e) {
            throw noServer(e);
        }
    }

    private static IllegalStateException noServer(IOException cause) {
        return new IllegalStateException(
                "No PostgreSQL server binaries (pg_ctl on the PATH or under /usr/lib/postgresql/*/bin);"
                        + " install them with apt-get install postgresql (.ci/run does)",
                cause);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a test run for
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[127.0.0.1:" + port + ", " + directory + ", binaries " + binaries + "]"
                + (asPostgresUser ? " as " + USER : "");
    }
}
