package dev.sluice.init;

import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import dev.sluice.engine.QueueEngine;
import dev.sluice.init.InitFile.DeclaredKey;
import dev.sluice.init.InitFile.DeclaredQueue;
import dev.sluice.init.InitFile.DeclaredTenant;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.QueueError;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.memory.InMemoryStore;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes the engine and the tenant registry hold what an init file declares, through their ordinary operations: a
 * missing queue is created, an existing one keeps its messages and gets the file's attributes and tags (others it has
 * stay), a tenant is created or given the file's name and limits, a key the file's secret. So a restart with the same
 * file changes nothing, and queues the file no longer lists are left alone unless {@code deleteUnlisted} is set.
 *
 * <p>Nothing is touched before the whole file has passed: the declarations are first played on a scratch engine (in
 * memory, holding copies of the existing queues they build on), so SQS's own rules refuse a bad attribute, name,
 * tag or redrive policy with the line of its queue.
 */
public final class InitFileLoader {
    private static final long STEP_TIMEOUT_SECONDS = 30;

    private final Queues queues;
    private final Tenants tenants;

    /** What a load did, for the startup log. */
    public record Outcome(int queuesCreated, int queuesUpdated, int queuesDeleted, int tenants, int keys) {}

    public InitFileLoader(Queues queues, Tenants tenants) {
        this.queues = queues;
        this.tenants = tenants;
    }

    /** Checks the whole file, then applies it; an {@link InitFileException} from the check means nothing changed. */
    public Outcome load(InitFile file, boolean deleteUnlisted) {
        checkTenants(file);
        checkQueues(file);
        return apply(file, deleteUnlisted);
    }

    private void checkTenants(InitFile file) {
        Map<String, String> owners = new HashMap<>();
        for (Tenant tenant : tenants.list()) {
            for (AccessKey key : tenants.keys(tenant.accountId())) {
                owners.put(key.accessKeyId(), key.accountId());
            }
        }
        Map<String, DeclaredKey> declared = new HashMap<>();
        for (DeclaredTenant tenant : file.tenants()) {
            for (DeclaredKey key : tenant.keys()) {
                String what = "tenant " + tenant.accountId() + ", key " + key.accessKeyId();
                DeclaredKey twice = declared.putIfAbsent(key.accessKeyId(), key);
                if (twice != null) {
                    throw new InitFileException(key.line(), what, "declared twice (line " + twice.line() + ")");
                }
                String owner = owners.get(key.accessKeyId());
                if (owner != null && !owner.equals(tenant.accountId())) {
                    throw new InitFileException(key.line(), what, "this access key belongs to account " + owner);
                }
            }
        }
    }

    private void checkQueues(InitFile file) {
        QueueEngine scratch = new QueueEngine(
                new InMemoryStore(),
                InstantSource.system(),
                (at, task) -> () -> {},
                IdSource.random(),
                Strictness.LENIENT);
        Set<QueueKey> copied = new HashSet<>();
        for (DeclaredQueue queue : file.queues()) {
            try {
                for (QueueKey needed : deadLetterTargets(queue)) {
                    copyExisting(needed, scratch, copied);
                }
                QueueInfo existing = existing(queue.key());
                if (existing == null) {
                    join(scratch.createQueue(queue.key(), queue.attributes(), queue.tags()));
                } else {
                    copyExisting(queue.key(), scratch, copied);
                    update(scratch, queue, existing);
                }
            } catch (QueueException e) {
                throw new InitFileException(queue.line(), describe(queue.key()), e.getMessage());
            }
        }
    }

    /** A copy of an existing queue on the scratch engine, without its own RedrivePolicy, whose target may be absent. */
    private void copyExisting(QueueKey key, Queues scratch, Set<QueueKey> copied) {
        QueueInfo existing = existing(key);
        if (existing == null || !copied.add(key)) {
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>(existing.settings().values());
        attributes.remove(QueueSettings.REDRIVE_POLICY);
        join(scratch.createQueue(key, attributes, existing.tags()));
    }

    private Outcome apply(InitFile file, boolean deleteUnlisted) {
        int keys = 0;
        for (DeclaredTenant tenant : file.tenants()) {
            try {
                join(tenants.declareTenant(
                        tenant.accountId(), tenant.name(), tenant.maxQueues(), tenant.maxMessages(), tenant.quota()));
                for (DeclaredKey key : tenant.keys()) {
                    join(tenants.declare(tenant.accountId(), key.accessKeyId(), key.secretAccessKey()));
                    keys++;
                }
            } catch (TenantException e) {
                throw new InitFileException(tenant.line(), "tenant " + tenant.accountId(), e.getMessage());
            }
        }
        int created = 0;
        int updated = 0;
        Set<QueueKey> declared = new HashSet<>();
        for (DeclaredQueue queue : file.queues()) {
            declared.add(queue.key());
            try {
                QueueInfo existing = existing(queue.key());
                if (existing == null) {
                    join(queues.createQueue(queue.key(), queue.attributes(), queue.tags()));
                    created++;
                } else {
                    update(queues, queue, existing);
                    updated++;
                }
            } catch (QueueException e) {
                throw new InitFileException(queue.line(), describe(queue.key()), e.getMessage());
            }
        }
        int deleted = 0;
        if (deleteUnlisted) {
            for (String accountId : file.queueAccounts()) {
                for (QueueKey key : join(queues.queueKeys(java.util.Optional.of(accountId)))) {
                    if (!declared.contains(key)) {
                        join(queues.deleteQueue(key));
                        deleted++;
                    }
                }
            }
        }
        return new Outcome(created, updated, deleted, file.tenants().size(), keys);
    }

    /** The file's attributes and tags on an existing queue; its type is fixed at creation and must match. */
    private static void update(Queues target, DeclaredQueue queue, QueueInfo existing) {
        Map<String, String> attributes = new LinkedHashMap<>(queue.attributes());
        String fifo = attributes.remove(QueueSettings.FIFO_QUEUE);
        if (fifo != null && Boolean.parseBoolean(fifo) != existing.settings().fifo()) {
            throw new QueueException(
                    QueueError.INVALID_ATTRIBUTE_VALUE, "FifoQueue cannot change on an existing queue");
        }
        if (!attributes.isEmpty()) {
            join(target.setAttributes(queue.key(), attributes));
        }
        if (!queue.tags().isEmpty()) {
            join(target.tagQueue(queue.key(), queue.tags()));
        }
    }

    private static Set<QueueKey> deadLetterTargets(DeclaredQueue queue) {
        String policy = queue.attributes().get(QueueSettings.REDRIVE_POLICY);
        if (policy == null || policy.isEmpty()) {
            return Set.of();
        }
        try {
            return Set.of(QueueSettings.forNewQueue(Map.of(QueueSettings.REDRIVE_POLICY, policy))
                    .redrivePolicy()
                    .deadLetterTarget()
                    .key());
        } catch (QueueException e) {
            return Set.of(); // the scratch engine reports the bad policy with its own words
        }
    }

    private QueueInfo existing(QueueKey key) {
        return join(queues.queueNames(key.region(), key.accountId(), key.name()))
                        .contains(key.name())
                ? join(queues.describe(key))
                : null;
    }

    private static String describe(QueueKey key) {
        return "queue " + key.name() + " (account " + key.accountId() + ")";
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the init file", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the store did not commit within " + STEP_TIMEOUT_SECONDS + " s", e);
        }
    }
}
