package dev.sluice.auth;

/** One change to the tenants and keys that {@link TenantStorage} stores. */
public sealed interface TenantChange {

    /** The account the change is about. */
    String accountId();

    /** A tenant created ({@code exclusive}: it must not exist yet, not even through another replica) or changed. */
    record PutTenant(Tenant tenant, boolean exclusive) implements TenantChange {
        @Override
        public String accountId() {
            return tenant.accountId();
        }
    }

    /** The tenant deleted (its keys are deleted by their own changes). */
    record DeleteTenant(String accountId) implements TenantChange {}

    /** A key created or changed. */
    record PutKey(AccessKey key) implements TenantChange {
        @Override
        public String accountId() {
            return key.accountId();
        }
    }

    record DeleteKey(String accessKeyId, String accountId) implements TenantChange {}
}
