package dev.sluice.server;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Sluice's settings: each works as {@code -Dsluice.x}, as {@code SLUICE_X} and in application.properties. */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    /** Where the store's files live. */
    @WithDefault("data")
    String dataDir();

    /**
     * The store: journal (append-only segments, the default), mapdb (one MapDB file) or postgres (PostgreSQL, for
     * several replicas; being built, refused at start for now).
     */
    @WithDefault("journal")
    Storage storage();

    /** fsync (acknowledge after fsync, grouped), batched (fsync every batch-interval) or memory (nothing on disk). */
    @WithDefault("fsync")
    Durability durability();

    /** How often the batched durability mode commits. */
    @WithDefault("50ms")
    Duration batchInterval();

    /** The base of queue URLs; when unset, the scheme and Host of each request. */
    Optional<String> baseUrl();

    @WithDefault("us-east-1")
    String region();

    /** The account of callers whose access key id is not a 12-digit account id. */
    @WithDefault("000000000000")
    String accountId();

    /** Also enforce AWS's 60-second rules for PurgeQueue and re-creating a deleted queue. */
    @WithDefault("false")
    boolean strict();

    /** Log one line per request (action, queue, status, duration). */
    @WithDefault("true")
    boolean requestLog();

    /**
     * system: the engine runs on the real clock; manual: time stands still until POST /admin/clock/advance moves it
     * (for tests; never the default).
     */
    @WithDefault("system")
    ClockMode clock();

    Auth auth();

    /**
     * Tenants and keys declared at start, each {@code accountId:accessKeyId:secret} (a list: comma-separated in one
     * property or environment variable). They are created if missing, and their keys set to the declared secret.
     */
    Optional<List<String>> tenants();

    /** A file holding the {@link #tenants()} entries, one a line (read by {@link SecretFiles}). */
    Optional<String> tenantsFile();

    Admin admin();

    /** A YAML file of queues (and tenants) to create at start; see {@link dev.sluice.init.InitFileReader}. */
    Optional<java.nio.file.Path> initFile();

    /** Also delete the queues of the file's accounts that the file does not list. */
    @WithDefault("false")
    boolean initFileDeleteUnlisted();

    Http http();

    Quota quota();

    Metrics metrics();

    Postgres postgres();

    /** The PostgreSQL mode's tuning. */
    interface Postgres {
        /**
         * Standard sends, receives and deletes that arrive while at least this many statements of their kind are in the
         * database wait and go out merged, as one statement (0: never merge).
         */
        @WithDefault("1")
        int mergeFrom();
    }

    /** What /q/metrics shows. */
    interface Metrics {
        /**
         * Queues with series of their own (by region, account and name, the first this many); the rest are summed into
         * one series labelled {@code region="other", account="other", queue="other"}, so a service with very many
         * queues cannot flood Prometheus.
         */
        @WithDefault("1000")
        int maxQueues();
    }

    Memory memory();

    Journal journal();

    /** The journal store's tuning. */
    interface Journal {
        /**
         * A checkpoint of the journal's index is written each time this much journal has been appended since the last,
         * so a start reads the checkpoint and at most about this much journal after it.
         */
        @WithDefault("256M")
        MemorySize checkpointBytes();

        /** A new segment file is started when the current one is this large; compaction reclaims whole segments. */
        @WithDefault("64M")
        MemorySize segmentBytes();
    }

    /** How much of the heap the queued messages may take. */
    interface Memory {
        /**
         * The heap the queued messages' state (ids, delivery state, indexes) may take, all queues together; sends are
         * refused with RequestThrottled beyond it, so a restart can always load what was accepted. Unset: half of the
         * JVM's maximum heap.
         */
        Optional<MemorySize> maxIndex();

        /**
         * With a store that pages (the journal, memory): above this much of the queued messages' state, ready messages
         * beyond each queue's window are paged out. Unset: a quarter of max-index.
         */
        Optional<MemorySize> pageHighWater();

        /** Paging out stops below this. Unset: three quarters of page-high-water. */
        Optional<MemorySize> pageLowWater();

        /** Messages a page holds at most. */
        @WithDefault("10000")
        int pageSize();

        /** Ready messages each queue keeps in memory when it pages (at least two pages). */
        @WithDefault("20000")
        int window();

        /**
         * With sluice.durability=memory: page into the memory store. Paged messages stay in the heap, outside the
         * budget, so this is for testing paging without a disk, never for holding a backlog.
         */
        @WithDefault("false")
        boolean pageInMemory();
    }

    /**
     * The service-wide quota of every account without one of its own (tenants set theirs through the admin API), and
     * SQS's FIFO throughput limits as an option. Unset rates are no limit.
     */
    interface Quota {
        /** Requests each account may make per second. */
        Optional<Long> defaultRequestsPerSecond();

        /** Requests an idle account may make at once; unset, one second's worth. */
        Optional<Long> defaultRequestBurst();

        /** Bytes of requests and replies each account may move per second ({@code 10M}). */
        Optional<MemorySize> defaultBytesPerSecond();

        /** Bytes an idle account may move at once; unset, one second's worth. */
        Optional<MemorySize> defaultBytesBurst();

        /** FIFO queues without high throughput take 300 calls per second per action, as on SQS. */
        @WithDefault("false")
        boolean fifoThroughput();
    }

    /** Limits on how requests are received, before any SQS rule applies. */
    interface Http {
        /**
         * A request's whole body must arrive within this time of its headers; a slower one is answered 408
         * RequestTimeout and its connection closed (a connection sending nothing at all is closed by
         * {@code quarkus.http.idle-timeout}).
         */
        @WithDefault("30s")
        Duration bodyTimeout();

        /**
         * The most memory that request bodies being received may hold, all connections together; a body that would
         * pass it is answered 503 ServiceUnavailable. Unset: a quarter of the JVM's maximum heap.
         */
        Optional<MemorySize> bodyMemory();
    }

    interface Auth {
        /** open: any credentials, a 12-digit key id selects that account; sigv4: keys must exist and verify. */
        @WithDefault("open")
        AuthMode mode();

        /** Accept (and ignore) X-Amz-Security-Token; when false a request carrying one is InvalidClientTokenId. */
        @WithDefault("false")
        boolean allowSecurityToken();

        /** In the sigv4 mode, the most queues a tenant without a maxQueues of its own may own. */
        @WithDefault("1000")
        int defaultMaxQueues();
    }

    interface Admin {
        /** The bearer token of the admin API under /admin/; unset, the admin API answers 404. */
        Optional<String> token();

        /** A file holding the token (read by {@link SecretFiles}). */
        Optional<String> tokenFile();
    }

    enum ClockMode {
        system,
        manual
    }

    enum AuthMode {
        open,
        sigv4
    }

    enum Storage {
        journal,
        mapdb,
        postgres
    }

    enum Durability {
        fsync,
        batched,
        memory
    }
}
