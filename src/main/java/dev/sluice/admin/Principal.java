package dev.sluice.admin;

import dev.sluice.queues.QueueKey;

/**
 * Who an admin API request acts as: the operator, who holds the admin token, or one tenant, who signed with (or signed
 * in with) one of its access keys and may use only its own queues. {@code accessKeyId} is null for the operator.
 */
public record Principal(String accountId, String accessKeyId) {
    static final Principal ADMIN = new Principal(null, null);

    static Principal tenant(String accountId, String accessKeyId) {
        return new Principal(accountId, accessKeyId);
    }

    boolean admin() {
        return accountId == null;
    }

    /** Refuses a tenant: tenants, keys, metrics and the clock are the operator's. */
    void requireAdmin() {
        if (!admin()) {
            throw ProblemException.forbidden("only the admin token may use this part of the admin API");
        }
    }

    /** The queue, if this principal may use it: the operator any, a tenant only its own. */
    QueueKey authorize(QueueKey queue) {
        if (!admin() && !queue.accountId().equals(accountId)) {
            throw ProblemException.forbidden("a tenant's key may use only its own account's queues");
        }
        return queue;
    }

    /** The account whose queues a listing shows: the tenant's own, or for the operator the one asked for (null: all). */
    String visibleAccount(String requested) {
        if (admin()) {
            return requested;
        }
        if (requested != null && !requested.equals(accountId)) {
            throw ProblemException.forbidden("a tenant's key may list only its own account's queues");
        }
        return accountId;
    }
}
