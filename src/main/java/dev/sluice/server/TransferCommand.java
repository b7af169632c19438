package dev.sluice.server;

import dev.sluice.auth.AccountQueues;
import dev.sluice.auth.Tenants;
import dev.sluice.engine.StoreArchive;
import dev.sluice.postgres.PostgresArchive;
import dev.sluice.postgres.PostgresTenants;
import dev.sluice.queues.transfer.QueueArchive;
import dev.sluice.store.DataDirectoryException;
import dev.sluice.store.Store;
import dev.sluice.store.journal.JournalStore;
import dev.sluice.store.mapdb.MapDbStore;
import dev.sluice.transfer.Counts;
import dev.sluice.transfer.Exporter;
import dev.sluice.transfer.ImportException;
import dev.sluice.transfer.Importer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice export --out FILE} and {@code sluice import --in FILE [--replace]}: a backend's tenants, keys, queues
 * and messages to a file and back, without a server. The backend is the one the usual settings name ({@code
 * sluice.storage}, {@code sluice.data-dir}, {@code quarkus.datasource.*}, {@code sluice.region}), given as {@code
 * -Dkey=value} arguments or environment variables; a data directory a server holds is refused, as a second server
 * would be. Quarkus is not started: the command opens the store, or one JDBC connection, itself. Failures are one line
 * on stderr and exit status 1.
 */
final class TransferCommand {
    private final Map<String, String> settings = new HashMap<>();

    private TransferCommand() {}

    /** Runs the command {@code args[0]} names; returns the exit status. */
    static int run(List<String> args) {
        // Netty (under the PostgreSQL client) would otherwise use sun.misc.Unsafe, which JDK 24+ warns of on stderr;
        // a one-off command has no use for its speed, and its failures are one line.
        System.setProperty("io.netty.noUnsafe", "true");
        try {
            return new TransferCommand().execute(args);
        } catch (ImportException | DataDirectoryException | IllegalStateException | IllegalArgumentException e) {
            System.err.println("sluice " + args.getFirst() + ": " + oneLine(e.getMessage()));
            return 1;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("sluice " + args.getFirst() + ": " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        } catch (RuntimeException e) {
            System.err.println("sluice " + args.getFirst() + ": failed: "
                    + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    private int execute(List<String> args) throws IOException {
        String command = args.getFirst();
        Path file = null;
        boolean replace = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--out", "--in" -> {
                    if (i + 1 == args.size() || !arg.equals(command.equals("export") ? "--out" : "--in")) {
                        throw new IllegalArgumentException("usage: sluice export --out FILE | sluice import --in FILE"
                                + " [--replace] [-Dkey=value ...]");
                    }
                    file = Path.of(args.get(++i));
                }
                case "--replace" -> replace = true;
                default -> {
                    int equals = arg.indexOf('=');
                    if (!arg.startsWith("-D") || equals < 3) {
                        throw new IllegalArgumentException("unknown argument '" + arg + "' (see --help)");
                    }
                    settings.put(arg.substring(2, equals), arg.substring(equals + 1));
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException(
                    "usage: sluice export --out FILE | sluice import --in FILE [--replace] [-Dkey=value ...]");
        }
        String region = setting("sluice.region").orElse("us-east-1");
        long now = System.currentTimeMillis();
        Path dataDir = Path.of(setting("sluice.data-dir").orElse("data"));
        boolean postgres = setting("sluice.storage").orElse("journal").equalsIgnoreCase("postgres");
        if (command.equals("export") && !postgres && !Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException(
                    "there is no data directory " + dataDir.toAbsolutePath() + " to export (set sluice.data-dir)");
        }
        try (Backend backend = open(region)) {
            if (command.equals("export")) {
                return export(backend, file, region, now);
            }
            return importFile(backend, file, replace, now);
        }
    }

    private int export(Backend backend, Path file, String region, long now) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Counts counts;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(partial, StandardCharsets.UTF_8), 1 << 16)) {
            counts = new Exporter().export(backend.archive(), backend.tenants(), region, now, out);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("sluice export: " + counts.describe() + " -> " + file);
        return 0;
    }

    private int importFile(Backend backend, Path file, boolean replace, long now) throws IOException {
        if (!Files.isReadable(file)) {
            throw new ImportException("cannot read " + file);
        }
        Counts counts = new Importer()
                .importFile(
                        () -> {
                            try {
                                return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        backend.archive(),
                        backend.tenants(),
                        replace,
                        now);
        System.out.println("sluice import: " + counts.describe() + " <- " + file);
        return 0;
    }

    /** The backend's queues and its tenant registry, opened as the server would open them. */
    private record Backend(QueueArchive archive, Tenants tenants, AutoCloseable tenantStorage)
            implements AutoCloseable {
        @Override
        public void close() {
            archive.close();
            if (tenantStorage != null) {
                try {
                    tenantStorage.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the tenant storage: " + e.getMessage(), e);
                }
            }
        }
    }

    private Backend open(String region) {
        Path dataDir = Path.of(setting("sluice.data-dir").orElse("data"));
        String storage = setting("sluice.storage").orElse("journal").toLowerCase(Locale.ROOT);
        return switch (storage) {
            case "journal", "mapdb" -> {
                Store store = storage.equals("journal")
                        ? new JournalStore(dataDir, JournalStore.Durability.FSYNC, Duration.ofMillis(50))
                        : new MapDbStore(dataDir, MapDbStore.Durability.FSYNC, Duration.ofMillis(50));
                // Tenants first: it reads its records before the archive takes the store's opening snapshot.
                Tenants tenants = new Tenants(store, InstantSource.system());
                yield new Backend(new StoreArchive(store, region), tenants, null);
            }
            case "postgres" -> {
                String url = setting("quarkus.datasource.reactive.url")
                        .orElseThrow(() -> new IllegalArgumentException(
                                "sluice.storage=postgres needs quarkus.datasource.reactive.url"));
                PostgresArchive archive;
                try {
                    // Migrates the schema first, so the tenant tables are there.
                    archive = PostgresArchive.open(
                            url,
                            setting("quarkus.datasource.username").orElse(null),
                            setting("quarkus.datasource.password").orElse(null),
                            region);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                // Tenants and keys of the PostgreSQL mode are in the database, shared by the replicas; read and
                // written through the reactive client, as the server does.
                Vertx vertx = Vertx.vertx();
                PgConnectOptions connect = PgConnectOptions.fromUri(url);
                setting("quarkus.datasource.username").ifPresent(connect::setUser);
                setting("quarkus.datasource.password").ifPresent(connect::setPassword);
                Pool pool = PgBuilder.pool()
                        .with(new PoolOptions().setMaxSize(1))
                        .connectingTo(connect)
                        .using(vertx)
                        .build();
                AutoCloseable connections = () -> {
                    pool.close().toCompletionStage().toCompletableFuture().join();
                    vertx.close().toCompletionStage().toCompletableFuture().join();
                };
                try {
                    yield new Backend(
                            archive,
                            new Tenants(new PostgresTenants(pool), InstantSource.system(), AccountQueues.NONE),
                            connections);
                } catch (RuntimeException e) {
                    archive.close();
                    closeQuietly(connections);
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "sluice.storage is " + storage + "; export and import read journal, mapdb or postgres");
        };
    }

    /** A -D argument, else a system property, else the environment variable (SLUICE_DATA_DIR for sluice.data-dir). */
    private Optional<String> setting(String key) {
        String value = settings.get(key);
        if (value == null) {
            value = System.getProperty(key);
        }
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            // The open failed already; that failure is the one to report.
        }
    }

    private static String oneLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
