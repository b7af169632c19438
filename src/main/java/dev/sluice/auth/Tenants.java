package dev.sluice.auth;

import dev.sluice.quota.Quota;
import dev.sluice.store.Store;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The tenants and their access keys: read from their {@link TenantStorage} at start, kept in memory for the verifier's
 * lookups, and changed through it. A change is applied in memory before its commit, so a disabled key stops working
 * with the very next request. When the storage is shared by several replicas (PostgreSQL), it tells of changes made
 * by the others: a revoked key or tenant is dropped at once, then the account is read again ({@link
 * TenantStorage.Changes}).
 *
 * <p>An account id is never handed to a new owner with an old owner's data: deleting a tenant deletes its queues and
 * their messages, and the admin API's CreateTenant refuses an account id that still owns queues (left by a request
 * that raced the delete, or from the open auth mode). Only a tenant declared in configuration ({@code
 * sluice.tenants}) takes such queues over: the operator named the account.
 */
public final class Tenants implements SigV4Verifier.Keys, TenantStorage.Changes {
    /** As AWS IAM: at most two access keys per identity, so one can be rotated while the other works. */
    public static final int MAX_KEYS_PER_TENANT = 2;

    static final int MAX_LOOKUPS = 4;

    private static final String KEY_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final TenantStorage storage;
    private final InstantSource clock;
    private final AccountQueues queues;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, AccessKey> keys = new ConcurrentHashMap<>();
    private volatile Consumer<String> quotaChanged = accountId -> {};
    /** Numbers the reads of accounts, so an older read that completes late never overwrites a newer one. */
    private final AtomicLong reads = new AtomicLong();

    /** Account id → the number of the newest read of it put in memory. */
    private final Map<String, Long> applied = new HashMap<>();

    /** Reads of unknown keys in flight ({@link #lookUp}). */
    private final Semaphore lookups = new Semaphore(MAX_LOOKUPS);

    /** A registry that knows no queues: deleting a tenant deletes only the tenant and its keys. */
    public Tenants(Store store, InstantSource clock) {
        this(store, clock, AccountQueues.NONE);
    }

    public Tenants(Store store, InstantSource clock, AccountQueues queues) {
        this(new StoredTenants(store), clock, queues);
    }

    public Tenants(TenantStorage storage, InstantSource clock, AccountQueues queues) {
        this.storage = storage;
        this.clock = clock;
        this.queues = queues;
        TenantStorage.Accounts accounts = storage.loadAll();
        accounts.tenants().forEach(tenant -> tenants.put(tenant.accountId(), tenant));
        accounts.keys().forEach(key -> keys.put(key.accessKeyId(), key));
        storage.watch(this);
    }

    /** The key, if it and its tenant are enabled. */
    @Override
    public Optional<AccessKey> find(String accessKeyId) {
        AccessKey key = keys.get(accessKeyId);
        if (key == null || !key.enabled()) {
            return Optional.empty();
        }
        Tenant tenant = tenants.get(key.accountId());
        return tenant != null && tenant.enabled() ? Optional.of(key) : Optional.empty();
    }

    /**
     * A key unknown here, when the storage is shared: read its account again, at most {@link #MAX_LOOKUPS} at once
     * (a client that tries made-up keys costs a bounded number of reads).
     */
    @Override
    public CompletionStage<Boolean> lookUp(String accessKeyId) {
        if (!storage.shared() || keys.containsKey(accessKeyId) || !lookups.tryAcquire()) {
            return CompletableFuture.completedFuture(find(accessKeyId).isPresent());
        }
        return readOwnerOf(accessKeyId, true).whenComplete((found, failure) -> lookups.release());
    }

    /**
     * Reads the key's account and puts it in memory; if a newer read or change of the account came first (a notice
     * heard meanwhile), this read may be the older one and is not put, so it reads once more ({@code again}).
     */
    private CompletionStage<Boolean> readOwnerOf(String accessKeyId, boolean again) {
        long read = reads.incrementAndGet();
        return storage.reloadOwnerOf(accessKeyId).thenCompose(accounts -> {
            boolean put = accounts.tenants().isEmpty()
                    || replace(accounts.tenants().getFirst().accountId(), read, accounts);
            return put || !again
                    ? CompletableFuture.completedFuture(find(accessKeyId).isPresent())
                    : readOwnerOf(accessKeyId, false);
        });
    }

    public Optional<Tenant> tenant(String accountId) {
        return Optional.ofNullable(tenants.get(accountId));
    }

    public List<Tenant> list() {
        return tenants.values().stream()
                .sorted(Comparator.comparing(Tenant::accountId))
                .toList();
    }

    public List<AccessKey> keys(String accountId) {
        require(accountId);
        return keys.values().stream()
                .filter(key -> key.accountId().equals(accountId))
                .sorted(Comparator.comparing(AccessKey::created).thenComparing(AccessKey::accessKeyId))
                .toList();
    }

    public CompletionStage<Tenant> createTenant(String accountId, String name, Integer maxQueues, Long maxMessages) {
        return createTenant(accountId, name, maxQueues, maxMessages, Optional.empty());
    }

    /**
     * A new tenant; {@code quota}, if given, replaces the service-wide default for it. An account id that still owns
     * queues (of an earlier owner, see the class comment) is refused: counting them asks the queue backend, so the
     * refusal comes in the stage.
     */
    public CompletionStage<Tenant> createTenant(
            String accountId, String name, Integer maxQueues, Long maxMessages, Optional<Quota> quota) {
        return create(accountId, name, maxQueues, maxMessages, quota, true);
    }

    /**
     * {@code exclusive}: the storage refuses it if another replica created the account meanwhile (the admin API's
     * CreateTenant); else (a tenant declared in configuration, which replicas starting together all declare) it
     * writes it over.
     */
    private CompletionStage<Tenant> create(
            String accountId,
            String name,
            Integer maxQueues,
            Long maxMessages,
            Optional<Quota> quota,
            boolean exclusive) {
        if (!Tenant.isAccountId(accountId)) {
            throw new TenantException(TenantException.Reason.INVALID, "accountId must be 12 digits");
        }
        if ((maxQueues != null && maxQueues < 0) || (maxMessages != null && maxMessages < 0)) {
            throw new TenantException(TenantException.Reason.INVALID, "limits must not be negative");
        }
        requireNew(accountId);
        return queues.count(accountId).thenCompose(owned -> {
            if (owned > 0) {
                throw new TenantException(
                        TenantException.Reason.ALREADY_EXISTS,
                        "account " + accountId + " still owns " + owned + " queue(s) of an earlier owner; delete them"
                                + " with DELETE /admin/tenants/" + accountId + ", or declare the tenant in"
                                + " sluice.tenants to keep them");
            }
            return put(accountId, name, maxQueues, maxMessages, quota, exclusive);
        });
    }

    private synchronized void requireNew(String accountId) {
        if (tenants.containsKey(accountId)) {
            throw new TenantException(TenantException.Reason.ALREADY_EXISTS, "tenant " + accountId + " already exists");
        }
    }

    private synchronized CompletionStage<Tenant> put(
            String accountId,
            String name,
            Integer maxQueues,
            Long maxMessages,
            Optional<Quota> quota,
            boolean exclusive) {
        // Again under the lock: a create of the same account may have come in while the queues were counted. A
        // declaration is not refused for it: another replica declaring the same tenant at its start (its notice heard
        // meanwhile) makes this one a declaration of an existing tenant.
        if (!exclusive && tenants.containsKey(accountId)) {
            return declareTenant(accountId, name, maxQueues, maxMessages, quota);
        }
        requireNew(accountId);
        Tenant tenant = new Tenant(
                accountId,
                name == null || name.isBlank() ? accountId : name,
                true,
                Optional.ofNullable(maxQueues),
                Optional.ofNullable(maxMessages),
                clock.instant(),
                quota);
        tenants.put(accountId, tenant);
        quotaChanged.accept(accountId);
        return commit(new TenantChange.PutTenant(tenant, exclusive)).thenApply(done -> tenant);
    }

    /**
     * Sets the tenant's own quota, or removes it (empty: the service-wide default applies). It applies to the next
     * request, before the commit, like a disabled key; the tenant's buckets start again, full.
     */
    public synchronized CompletionStage<Tenant> setQuota(String accountId, Optional<Quota> quota) {
        Tenant tenant = require(accountId).withQuota(quota);
        tenants.put(accountId, tenant);
        quotaChanged.accept(accountId);
        return commit(new TenantChange.PutTenant(tenant, false)).thenApply(done -> tenant);
    }

    /** Who is told of a tenant whose quota changed, was created or was deleted (the quota buckets). */
    public void onQuotaChange(Consumer<String> listener) {
        this.quotaChanged = listener;
    }

    public synchronized CompletionStage<Tenant> setTenantEnabled(String accountId, boolean enabled) {
        Tenant tenant = require(accountId).withEnabled(enabled);
        tenants.put(accountId, tenant);
        return commit(new TenantChange.PutTenant(tenant, false)).thenApply(done -> tenant);
    }

    /**
     * Deletes the tenant, its keys, and its queues with their messages. The keys stop working at once (before the
     * commit); the queues are deleted after it. An account without a tenant that still owns queues (see the class
     * comment) may be deleted too, which deletes those queues.
     */
    public CompletionStage<Void> deleteTenant(String accountId) {
        CompletionStage<Void> known = hasTenant(accountId)
                ? CompletableFuture.completedFuture(null)
                : queues.count(accountId).thenAccept(owned -> {
                    if (owned == 0) {
                        require(accountId);
                    }
                });
        return known.thenCompose(ok -> removeTenant(accountId)).thenCompose(done -> queues.deleteAll(accountId));
    }

    private synchronized boolean hasTenant(String accountId) {
        return tenants.containsKey(accountId);
    }

    /** Removes the tenant and its keys; the keys stop working at once, before the commit. */
    private synchronized CompletionStage<Void> removeTenant(String accountId) {
        List<TenantChange> changes = new ArrayList<>();
        for (AccessKey key : List.copyOf(keys.values())) {
            if (!key.accountId().equals(accountId)) {
                continue;
            }
            keys.remove(key.accessKeyId());
            changes.add(new TenantChange.DeleteKey(key.accessKeyId(), accountId));
        }
        if (tenants.remove(accountId) != null) {
            changes.add(new TenantChange.DeleteTenant(accountId));
            quotaChanged.accept(accountId);
        }
        return changes.isEmpty() ? CompletableFuture.completedFuture(null) : commit(accountId, changes);
    }

    /** A new key with a random id and secret; the caller shows the secret once. */
    public synchronized CompletionStage<AccessKey> createKey(String accountId) {
        require(accountId);
        if (keys(accountId).size() >= MAX_KEYS_PER_TENANT) {
            throw new TenantException(
                    TenantException.Reason.LIMIT_EXCEEDED,
                    "tenant " + accountId + " already has " + MAX_KEYS_PER_TENANT
                            + " access keys; delete one before creating another");
        }
        String id;
        do {
            id = "AKIA" + randomString(KEY_ID_CHARACTERS, 16);
        } while (keys.containsKey(id));
        AccessKey key = new AccessKey(id, randomString(SECRET_CHARACTERS, 40), accountId, true, clock.instant());
        keys.put(id, key);
        return commit(new TenantChange.PutKey(key)).thenApply(done -> key);
    }

    public synchronized CompletionStage<AccessKey> setKeyEnabled(String accessKeyId, boolean enabled) {
        AccessKey key = requireKey(accessKeyId).withEnabled(enabled);
        keys.put(accessKeyId, key);
        return commit(new TenantChange.PutKey(key)).thenApply(done -> key);
    }

    public synchronized CompletionStage<Void> deleteKey(String accessKeyId) {
        AccessKey key = requireKey(accessKeyId);
        keys.remove(accessKeyId);
        return commit(new TenantChange.DeleteKey(accessKeyId, key.accountId()));
    }

    /**
     * Makes a tenant declared in configuration exist with that name and those limits: created (enabled) if missing,
     * else updated, keeping whether it is enabled and its keys.
     */
    public synchronized CompletionStage<Tenant> declareTenant(
            String accountId, String name, Integer maxQueues, Long maxMessages, Optional<Quota> quota) {
        Tenant existing = tenants.get(accountId);
        if (existing == null) {
            return create(accountId, name, maxQueues, maxMessages, quota, false);
        }
        if ((maxQueues != null && maxQueues < 0) || (maxMessages != null && maxMessages < 0)) {
            throw new TenantException(TenantException.Reason.INVALID, "limits must not be negative");
        }
        Tenant declared = new Tenant(
                accountId,
                name == null || name.isBlank() ? accountId : name,
                existing.enabled(),
                Optional.ofNullable(maxQueues),
                Optional.ofNullable(maxMessages),
                existing.created(),
                quota);
        if (declared.equals(existing)) {
            return CompletableFuture.completedFuture(existing);
        }
        tenants.put(accountId, declared);
        if (!declared.quota().equals(existing.quota())) {
            quotaChanged.accept(accountId);
        }
        return commit(new TenantChange.PutTenant(declared, false)).thenApply(done -> declared);
    }

    /**
     * Makes a tenant and key declared in configuration exist as declared (enabled, with that secret), creating the
     * tenant if needed. Declared keys do not count against {@link #MAX_KEYS_PER_TENANT}: the operator chose them.
     */
    public synchronized CompletionStage<Void> declare(String accountId, String accessKeyId, String secret) {
        if (!Tenant.isAccountId(accountId) || accessKeyId.isBlank() || secret.isEmpty()) {
            throw new TenantException(
                    TenantException.Reason.INVALID,
                    "a declared tenant is accountId:accessKeyId:secret with a 12-digit account id");
        }
        AccessKey existing = keys.get(accessKeyId);
        if (existing != null && !existing.accountId().equals(accountId)) {
            throw new TenantException(
                    TenantException.Reason.ALREADY_EXISTS,
                    "access key " + accessKeyId + " already belongs to another account");
        }
        List<TenantChange> changes = new ArrayList<>();
        Tenant tenant = tenants.get(accountId);
        if (tenant == null) {
            tenant = new Tenant(accountId, accountId, true, Optional.empty(), Optional.empty(), clock.instant());
            tenants.put(accountId, tenant);
            changes.add(new TenantChange.PutTenant(tenant, false));
        }
        AccessKey key = new AccessKey(
                accessKeyId, secret, accountId, true, existing != null ? existing.created() : clock.instant());
        if (!key.equals(existing)) {
            keys.put(accessKeyId, key);
            changes.add(new TenantChange.PutKey(key));
        }
        return changes.isEmpty() ? CompletableFuture.completedFuture(null) : commit(accountId, changes);
    }

    private CompletionStage<Void> commit(TenantChange change) {
        return commit(change.accountId(), List.of(change));
    }

    /**
     * Commits changes already made in memory. If the commit fails (a shared database refused it: another replica
     * created the same account, or the database is unreachable), the account is read again so memory does not keep
     * what was never stored.
     */
    private synchronized CompletionStage<Void> commit(String accountId, List<TenantChange> changes) {
        supersedeReads(accountId);
        return storage.commit(changes).whenComplete((done, failure) -> {
            if (failure != null) {
                changed(accountId);
            }
        });
    }

    // ---- changes made elsewhere (TenantStorage.Changes)

    @Override
    public synchronized void revoked(String accountId, String accessKeyId) {
        supersedeReads(accountId);
        if (accessKeyId != null) {
            keys.remove(accessKeyId);
        } else if (tenants.remove(accountId) != null) {
            quotaChanged.accept(accountId);
        }
    }

    @Override
    public void changed(String accountId) {
        long read = reads.incrementAndGet();
        storage.reload(accountId).thenAccept(accounts -> replace(accountId, read, accounts));
    }

    @Override
    public void changedAll() {
        long read = reads.incrementAndGet();
        storage.reloadAll().thenAccept(accounts -> replaceAll(read, accounts));
    }

    /** Memory now holds newer than any read of the account in flight: those are not to be put. */
    private void supersedeReads(String accountId) {
        applied.put(accountId, reads.incrementAndGet());
    }

    /** Puts one account's tenant and keys as read, unless a newer read of it has been put already: whether put. */
    private synchronized boolean replace(String accountId, long read, TenantStorage.Accounts accounts) {
        if (applied.getOrDefault(accountId, 0L) > read) {
            return false;
        }
        applied.put(accountId, read);
        put(accountId, accounts.tenants().isEmpty() ? null : accounts.tenants().getFirst(), accounts.keys());
        return true;
    }

    /**
     * Puts every account as read, but those of which a newer read has been put already. Entries are replaced one by
     * one, never cleared first: a lookup meanwhile finds the old entry or the new.
     */
    private synchronized void replaceAll(long read, TenantStorage.Accounts accounts) {
        Map<String, Tenant> readTenants = new HashMap<>();
        accounts.tenants().forEach(tenant -> readTenants.put(tenant.accountId(), tenant));
        Map<String, List<AccessKey>> readKeys = new HashMap<>();
        accounts.keys()
                .forEach(key -> readKeys.computeIfAbsent(key.accountId(), account -> new ArrayList<>())
                        .add(key));
        Set<String> all = new HashSet<>(tenants.keySet());
        keys.values().forEach(key -> all.add(key.accountId()));
        all.addAll(readTenants.keySet());
        all.addAll(readKeys.keySet());
        for (String accountId : all) {
            if (applied.getOrDefault(accountId, 0L) <= read) {
                applied.put(accountId, read);
                put(accountId, readTenants.get(accountId), readKeys.getOrDefault(accountId, List.of()));
            }
        }
    }

    /** The account's tenant (null: none) and keys as read; keys it no longer has are dropped after the others are put. */
    private void put(String accountId, Tenant after, List<AccessKey> readKeys) {
        Tenant before = tenants.get(accountId);
        readKeys.forEach(key -> keys.put(key.accessKeyId(), key));
        List<String> ids = readKeys.stream().map(AccessKey::accessKeyId).toList();
        keys.values().removeIf(key -> key.accountId().equals(accountId) && !ids.contains(key.accessKeyId()));
        if (after == null) {
            tenants.remove(accountId);
        } else {
            tenants.put(accountId, after);
        }
        if (before == null || after == null || !before.quota().equals(after.quota())) {
            quotaChanged.accept(accountId);
        }
    }

    private Tenant require(String accountId) {
        Tenant tenant = tenants.get(accountId);
        if (tenant == null) {
            throw new TenantException(TenantException.Reason.NOT_FOUND, "no tenant " + accountId);
        }
        return tenant;
    }

    private AccessKey requireKey(String accessKeyId) {
        AccessKey key = keys.get(accessKeyId);
        if (key == null) {
            throw new TenantException(TenantException.Reason.NOT_FOUND, "no access key " + accessKeyId);
        }
        return key;
    }

    private String randomString(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
