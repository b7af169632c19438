package dev.sluice.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The queues an account owns, as far as deleting and creating tenants needs them (the queue backend, in the server). */
public interface AccountQueues {
    /** No queues at all: for a registry of tenants alone. */
    AccountQueues NONE = new AccountQueues() {
        @Override
        public CompletionStage<Integer> count(String accountId) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletionStage<Void> deleteAll(String accountId) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /** How many queues the account owns. */
    CompletionStage<Integer> count(String accountId);

    /** Deletes every queue of the account with its messages; completes when that is stored. */
    CompletionStage<Void> deleteAll(String accountId);
}
