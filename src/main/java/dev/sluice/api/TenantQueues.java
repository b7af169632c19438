package dev.sluice.api;

import dev.sluice.auth.AccountQueues;
import dev.sluice.engine.QueueEngine;
import java.util.concurrent.CompletionStage;

/** The queues of a tenant's account as the engine holds them: what the tenant registry deletes with a tenant. */
public final class TenantQueues implements AccountQueues {
    private final QueueEngine engine;

    public TenantQueues(QueueEngine engine) {
        this.engine = engine;
    }

    @Override
    public int count(String accountId) {
        return engine.queueNames(accountId, null).size();
    }

    @Override
    public CompletionStage<Void> deleteAll(String accountId) {
        return engine.deleteQueues(accountId);
    }
}
