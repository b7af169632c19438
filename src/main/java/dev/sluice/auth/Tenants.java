package dev.sluice.auth;

import dev.sluice.quota.Quota;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredTenant;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The tenants and their access keys: read from the store at start, kept in memory for the verifier's lookups, and
 * changed through the store like queues are. A change is applied in memory before its commit, so a disabled key
 * stops working with the very next request.
 *
 * <p>An account id is never handed to a new owner with an old owner's data: deleting a tenant deletes its queues and
 * their messages, and the admin API's CreateTenant refuses an account id that still owns queues (left by a request
 * that raced the delete, or from the open auth mode). Only a tenant declared in configuration ({@code
 * sluice.tenants}) takes such queues over: the operator named the account.
 */
public final class Tenants implements SigV4Verifier.Keys {
    /** As AWS IAM: at most two access keys per identity, so one can be rotated while the other works. */
    public static final int MAX_KEYS_PER_TENANT = 2;

    private static final String KEY_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final Store store;
    private final InstantSource clock;
    private final AccountQueues queues;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, AccessKey> keys = new ConcurrentHashMap<>();
    private volatile Consumer<String> quotaChanged = accountId -> {};

    /** A registry that knows no queues: deleting a tenant deletes only the tenant and its keys. */
    public Tenants(Store store, InstantSource clock) {
        this(store, clock, AccountQueues.NONE);
    }

    public Tenants(Store store, InstantSource clock, AccountQueues queues) {
        this.store = store;
        this.clock = clock;
        this.queues = queues;
        StoreSnapshot.Accounts accounts = store.loadAccounts();
        for (StoredTenant tenant : accounts.tenants()) {
            tenants.put(tenant.accountId(), Tenant.of(tenant));
        }
        for (StoredAccessKey key : accounts.accessKeys()) {
            keys.put(key.accessKeyId(), AccessKey.of(key));
        }
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
            return put(accountId, name, maxQueues, maxMessages, quota);
        });
    }

    private synchronized void requireNew(String accountId) {
        if (tenants.containsKey(accountId)) {
            throw new TenantException(TenantException.Reason.ALREADY_EXISTS, "tenant " + accountId + " already exists");
        }
    }

    private synchronized CompletionStage<Tenant> put(
            String accountId, String name, Integer maxQueues, Long maxMessages, Optional<Quota> quota) {
        // Again under the lock: a create of the same account may have come in while the queues were counted.
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
        return store.commit(new StoreChange.PutTenant(tenant.toStored())).thenApply(done -> tenant);
    }

    /**
     * Sets the tenant's own quota, or removes it (empty: the service-wide default applies). It applies to the next
     * request, before the commit, like a disabled key; the tenant's buckets start again, full.
     */
    public synchronized CompletionStage<Tenant> setQuota(String accountId, Optional<Quota> quota) {
        Tenant tenant = require(accountId).withQuota(quota);
        tenants.put(accountId, tenant);
        quotaChanged.accept(accountId);
        return store.commit(new StoreChange.PutTenant(tenant.toStored())).thenApply(done -> tenant);
    }

    /** Who is told of a tenant whose quota changed, was created or was deleted (the quota buckets). */
    public void onQuotaChange(Consumer<String> listener) {
        this.quotaChanged = listener;
    }

    public synchronized CompletionStage<Tenant> setTenantEnabled(String accountId, boolean enabled) {
        Tenant tenant = require(accountId).withEnabled(enabled);
        tenants.put(accountId, tenant);
        return store.commit(new StoreChange.PutTenant(tenant.toStored())).thenApply(done -> tenant);
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
        List<StoreChange> changes = new ArrayList<>();
        for (AccessKey key : List.copyOf(keys.values())) {
            if (!key.accountId().equals(accountId)) {
                continue;
            }
            keys.remove(key.accessKeyId());
            changes.add(new StoreChange.DeleteAccessKey(key.accessKeyId()));
        }
        if (tenants.remove(accountId) != null) {
            changes.add(new StoreChange.DeleteTenant(accountId));
            quotaChanged.accept(accountId);
        }
        return changes.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(changes);
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
        return store.commit(new StoreChange.PutAccessKey(key.toStored())).thenApply(done -> key);
    }

    public synchronized CompletionStage<AccessKey> setKeyEnabled(String accessKeyId, boolean enabled) {
        AccessKey key = requireKey(accessKeyId).withEnabled(enabled);
        keys.put(accessKeyId, key);
        return store.commit(new StoreChange.PutAccessKey(key.toStored())).thenApply(done -> key);
    }

    public synchronized CompletionStage<Void> deleteKey(String accessKeyId) {
        requireKey(accessKeyId);
        keys.remove(accessKeyId);
        return store.commit(new StoreChange.DeleteAccessKey(accessKeyId));
    }

    /**
     * Makes a tenant declared in configuration exist with that name and those limits: created (enabled) if missing,
     * else updated, keeping whether it is enabled and its keys.
     */
    public synchronized CompletionStage<Tenant> declareTenant(
            String accountId, String name, Integer maxQueues, Long maxMessages, Optional<Quota> quota) {
        Tenant existing = tenants.get(accountId);
        if (existing == null) {
            return createTenant(accountId, name, maxQueues, maxMessages, quota);
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
            return java.util.concurrent.CompletableFuture.completedFuture(existing);
        }
        tenants.put(accountId, declared);
        if (!declared.quota().equals(existing.quota())) {
            quotaChanged.accept(accountId);
        }
        return store.commit(new StoreChange.PutTenant(declared.toStored())).thenApply(done -> declared);
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
        List<StoreChange> changes = new ArrayList<>();
        Tenant tenant = tenants.get(accountId);
        if (tenant == null) {
            tenant = new Tenant(accountId, accountId, true, Optional.empty(), Optional.empty(), clock.instant());
            tenants.put(accountId, tenant);
            changes.add(new StoreChange.PutTenant(tenant.toStored()));
        }
        AccessKey key = new AccessKey(
                accessKeyId, secret, accountId, true, existing != null ? existing.created() : clock.instant());
        if (!key.equals(existing)) {
            keys.put(accessKeyId, key);
            changes.add(new StoreChange.PutAccessKey(key.toStored()));
        }
        return store.commit(changes);
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
