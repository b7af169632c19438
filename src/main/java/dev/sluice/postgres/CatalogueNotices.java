package dev.sluice.postgres;

/**
 * What this replica's control connection hears on {@link QueueCatalogue#CHANNEL}, sent to whose cache it is about: a
 * queue's path to the queue catalogue, a tenant notice ({@link PostgresTenants#NOTICE}) to the tenants. After a
 * reconnection, when notices may have been missed, both drop everything.
 */
final class CatalogueNotices {
    private final QueueCatalogue queues;
    private volatile PostgresTenants tenants;

    CatalogueNotices(QueueCatalogue queues) {
        this.queues = queues;
    }

    /** The tenants are kept in this database too: their notices go to them. */
    PostgresTenants tenants(PostgresTenants storage) {
        this.tenants = storage;
        return storage;
    }

    void heard(String payload) {
        if (payload.startsWith(PostgresTenants.NOTICE)) {
            PostgresTenants storage = tenants;
            if (storage != null) {
                storage.heard(payload);
            }
        } else {
            queues.forget(payload);
        }
    }

    void reconnected() {
        queues.forgetAll();
        PostgresTenants storage = tenants;
        if (storage != null) {
            storage.reconnected();
        }
    }
}
