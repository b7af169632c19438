package dev.sluice.api;

import dev.sluice.auth.AccountQueues;
import dev.sluice.queues.Queues;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The queues of a tenant's account as the backend holds them: what the tenant registry deletes with a tenant. */
public final class TenantQueues implements AccountQueues {
    private final Queues queues;

    public TenantQueues(Queues queues) {
        this.queues = queues;
    }

    @Override
    public CompletionStage<Integer> count(String accountId) {
        return queues.queueKeys(Optional.of(accountId)).thenApply(List::size);
    }

    @Override
    public CompletionStage<Void> deleteAll(String accountId) {
        return queues.deleteQueues(accountId);
    }
}
