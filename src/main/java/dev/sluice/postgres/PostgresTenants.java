package dev.sluice.postgres;

import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantChange;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.TenantStorage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Tenants and access keys in the {@code tenant} and {@code access_key} tables, shared by every replica. A commit is one
 * transaction that also sends, on {@link QueueCatalogue#CHANNEL}, one notice per account it changed: {@code
 * tenant:<replica>:<account>}, with {@code :-} when the tenant was disabled or deleted and {@code :-<key id>} when a
 * key was disabled, deleted or given another secret. PostgreSQL delivers them once the transaction commits; every
 * replica then drops what was revoked at once and reads the account again ({@link TenantStorage.Changes}). The
 * replica that made the change has it in memory already and only reads the account again, in case a read of another
 * replica's change raced it.
 */
public final class PostgresTenants implements TenantStorage {
    static final String NOTICE = "tenant:";

    private static final String TENANT_COLUMNS =
            "account_id, name, enabled, max_queues, max_messages, created_at, quota";
    private static final String KEY_COLUMNS = "access_key_id, secret, account_id, enabled, created_at";
    private static final String ALL_TENANTS = "select " + TENANT_COLUMNS + " from tenant";
    private static final String ALL_KEYS = "select " + KEY_COLUMNS + " from access_key";
    private static final String TENANT = ALL_TENANTS + " where account_id = $1";
    private static final String KEYS = ALL_KEYS + " where account_id = $1";
    private static final String OWNER = "(select account_id from access_key where access_key_id = $1)";
    private static final String TENANT_OWNING = ALL_TENANTS + " where account_id = " + OWNER;
    private static final String KEYS_OWNED = ALL_KEYS + " where account_id = " + OWNER;
    private static final String CREATE_TENANT =
            "insert into tenant (" + TENANT_COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7)";
    private static final String PUT_TENANT = CREATE_TENANT + """
             on conflict (account_id) do update set name = excluded.name, enabled = excluded.enabled,
             max_queues = excluded.max_queues, max_messages = excluded.max_messages, quota = excluded.quota""";
    private static final String DELETE_TENANT = "delete from tenant where account_id = $1";
    private static final String PUT_KEY = "insert into access_key (" + KEY_COLUMNS + ") values ($1, $2, $3, $4, $5)"
            + " on conflict (access_key_id) do update set secret = excluded.secret, account_id = excluded.account_id,"
            + " enabled = excluded.enabled";
    private static final String DELETE_KEY = "delete from access_key where access_key_id = $1";
    private static final String NOTIFY = "select pg_notify('" + QueueCatalogue.CHANNEL + "', $1)";
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;
    private final String replica = UUID.randomUUID().toString();
    private volatile Changes listener;

    /** Tenants and keys in the database {@code pool} reaches (its schema migrated to version 4 or later). */
    public PostgresTenants(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Accounts loadAll() {
        try {
            return reloadAll().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the tenants from PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<Accounts> reloadAll() {
        return read(ALL_TENANTS, ALL_KEYS, Tuple.tuple());
    }

    @Override
    public CompletionStage<Accounts> reload(String accountId) {
        return read(TENANT, KEYS, Tuple.of(accountId));
    }

    @Override
    public CompletionStage<Accounts> reloadOwnerOf(String accessKeyId) {
        return read(TENANT_OWNING, KEYS_OWNED, Tuple.of(accessKeyId));
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The tenants and the keys the two statements select, read at once on two connections. */
    private CompletionStage<Accounts> read(String tenantsSql, String keysSql, Tuple arguments) {
        Future<RowSet<Row>> tenants = pool.preparedQuery(tenantsSql).execute(arguments);
        Future<RowSet<Row>> keys = pool.preparedQuery(keysSql).execute(arguments);
        return Future.all(tenants, keys)
                .map(both -> new Accounts(
                        all(tenants.result(), PostgresTenants::tenant), all(keys.result(), PostgresTenants::key)))
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Void> commit(List<TenantChange> changes) {
        List<Pipeline.Step> steps = new ArrayList<>();
        Set<String> notices = new LinkedHashSet<>();
        boolean creates = false;
        for (TenantChange change : changes) {
            String notice = NOTICE + replica + ':' + change.accountId();
            notices.add(notice);
            switch (change) {
                case TenantChange.PutTenant put -> {
                    steps.add(new Pipeline.Step(put.exclusive() ? CREATE_TENANT : PUT_TENANT, row(put.tenant())));
                    creates |= put.exclusive();
                    if (!put.tenant().enabled()) {
                        notices.add(notice + ":-");
                    }
                }
                case TenantChange.DeleteTenant delete -> {
                    steps.add(new Pipeline.Step(DELETE_TENANT, Tuple.of(delete.accountId())));
                    notices.add(notice + ":-");
                }
                case TenantChange.PutKey put -> {
                    steps.add(new Pipeline.Step(PUT_KEY, row(put.key())));
                    notices.add(notice + ":-" + put.key().accessKeyId());
                }
                case TenantChange.DeleteKey delete -> {
                    steps.add(new Pipeline.Step(DELETE_KEY, Tuple.of(delete.accessKeyId())));
                    notices.add(notice + ":-" + delete.accessKeyId());
                }
            }
        }
        notices.forEach(notice -> steps.add(new Pipeline.Step(NOTIFY, Tuple.of(notice))));
        boolean created = creates;
        return pool.withConnection(connection -> Pipeline.inTransaction(connection, steps))
                .<Void>mapEmpty()
                .recover(failure -> Future.failedFuture(
                        created && failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                                ? new TenantException(
                                        TenantException.Reason.ALREADY_EXISTS,
                                        "tenant " + changes.getFirst().accountId() + " already exists")
                                : failure))
                .toCompletionStage();
    }

    @Override
    public void watch(Changes changes) {
        this.listener = changes;
    }

    /** A notice on the catalogue channel that starts with {@link #NOTICE}. */
    void heard(String payload) {
        Changes changes = listener;
        String[] parts = payload.substring(NOTICE.length()).split(":", 3);
        if (changes == null || parts.length < 2) {
            return;
        }
        String accountId = parts[1];
        if (parts.length == 3 && parts[2].startsWith("-") && !parts[0].equals(replica)) {
            changes.revoked(accountId, parts[2].length() == 1 ? null : parts[2].substring(1));
        }
        changes.changed(accountId);
    }

    /** The control connection came back: notices may have been missed. */
    void reconnected() {
        Changes changes = listener;
        if (changes != null) {
            changes.changedAll();
        }
    }

    private static Tuple row(Tenant tenant) {
        return Tuple.of(
                tenant.accountId(),
                tenant.name(),
                tenant.enabled(),
                tenant.maxQueues().orElse(null),
                tenant.maxMessages().orElse(null),
                tenant.created().toEpochMilli(),
                tenant.quota().map(QuotaJson::of).orElse(null));
    }

    private static Tuple row(AccessKey key) {
        return Tuple.of(
                key.accessKeyId(),
                key.secret(),
                key.accountId(),
                key.enabled(),
                key.created().toEpochMilli());
    }

    private static Tenant tenant(Row row) {
        return new Tenant(
                row.getString(0),
                row.getString(1),
                row.getBoolean(2),
                Optional.ofNullable(row.getInteger(3)),
                Optional.ofNullable(row.getLong(4)),
                Instant.ofEpochMilli(row.getLong(5)),
                Optional.ofNullable(row.getJsonObject(6)).map(QuotaJson::quota));
    }

    private static AccessKey key(Row row) {
        return new AccessKey(
                row.getString(0),
                row.getString(1),
                row.getString(2),
                row.getBoolean(3),
                Instant.ofEpochMilli(row.getLong(4)));
    }

    private static <T> List<T> all(RowSet<Row> rows, java.util.function.Function<Row, T> read) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(read.apply(row));
        }
        return out;
    }
}
