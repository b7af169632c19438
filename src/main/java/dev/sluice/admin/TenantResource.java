package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.Tenant;
import dev.sluice.auth.TenantException;
import dev.sluice.auth.Tenants;
import dev.sluice.quota.Quotas;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tenants, their access keys and quotas (the operator's alone). A key's secret appears once, in the reply creating it;
 * a quota set here applies from the next request.
 */
@Path("/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
public class TenantResource {
    private final Tenants tenants;
    private final Quotas quotas;

    TenantResource(Tenants tenants, Quotas quotas) {
        this.tenants = tenants;
        this.quotas = quotas;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TenantView(
            String accountId,
            String name,
            boolean enabled,
            Integer maxQueues,
            Long maxMessages,
            QuotaView quota,
            Instant created,
            List<KeyView> accessKeys) {

        static TenantView of(Tenant tenant, List<KeyView> keys) {
            return new TenantView(
                    tenant.accountId(),
                    tenant.name(),
                    tenant.enabled(),
                    tenant.maxQueues().orElse(null),
                    tenant.maxMessages().orElse(null),
                    tenant.quota().map(QuotaView::of).orElse(null),
                    tenant.created(),
                    keys);
        }
    }

    /** An access key; secretAccessKey only in the reply that creates it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String accessKeyId, String accountId, boolean enabled, Instant created, String secretAccessKey) {

        static KeyView of(AccessKey key) {
            return new KeyView(key.accessKeyId(), key.accountId(), key.enabled(), key.created(), null);
        }

        static KeyView withSecret(AccessKey key) {
            return new KeyView(key.accessKeyId(), key.accountId(), key.enabled(), key.created(), key.secret());
        }
    }

    /**
     * A tenant to create: a 12-digit account id, an optional name, optional limits (whole numbers, 0 or more) and an
     * optional quota of its own (else the service-wide default applies).
     */
    public record NewTenant(String accountId, String name, Integer maxQueues, Long maxMessages, QuotaView quota) {}

    @GET
    @Operation(summary = "List tenants")
    public List<TenantView> list(@Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.list().stream()
                .map(tenant -> TenantView.of(tenant, null))
                .toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant")
    public CompletionStage<Response> create(NewTenant tenant, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        if (tenant == null) {
            throw ProblemException.invalid("the body must be a tenant: {\"accountId\": \"123456789012\", …}");
        }
        return tenants.createTenant(
                        tenant.accountId(),
                        tenant.name(),
                        tenant.maxQueues(),
                        tenant.maxMessages(),
                        Optional.ofNullable(tenant.quota()).map(QuotaView::toQuota))
                .thenApply(created -> Response.status(201)
                        .entity(TenantView.of(created, null))
                        .build());
    }

    @GET
    @Path("/{accountId}")
    @Operation(summary = "One tenant and its keys (without secrets)")
    public TenantView get(@PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return TenantView.of(require(accountId), keys(accountId));
    }

    @POST
    @Path("/{accountId}/enable")
    @Operation(summary = "Enable the tenant: its enabled keys work again")
    public CompletionStage<TenantView> enable(
            @PathParam("accountId") String accountId, @Context RoutingContext context) {
        return setEnabled(accountId, true, context);
    }

    @POST
    @Path("/{accountId}/disable")
    @Operation(summary = "Disable the tenant: all its keys stop working with the next request")
    public CompletionStage<TenantView> disable(
            @PathParam("accountId") String accountId, @Context RoutingContext context) {
        return setEnabled(accountId, false, context);
    }

    @DELETE
    @Path("/{accountId}")
    @Operation(summary = "Delete the tenant and its keys")
    public CompletionStage<Void> delete(@PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.deleteTenant(accountId);
    }

    @GET
    @Path("/{accountId}/keys")
    @Operation(summary = "The tenant's access keys, without secrets")
    public List<KeyView> listKeys(@PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return keys(accountId);
    }

    @POST
    @Path("/{accountId}/keys")
    @Operation(summary = "A new access key; the reply holds its secret, shown only this once")
    public CompletionStage<Response> createKey(
            @PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.createKey(accountId)
                .thenApply(key ->
                        Response.status(201).entity(KeyView.withSecret(key)).build());
    }

    @GET
    @Path("/{accountId}/quota")
    @Operation(summary = "The tenant's quota in use: buckets, requests admitted, bytes charged, throttled by limit")
    public Quotas.Usage quota(@PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        require(accountId);
        return quotas.usage(accountId, System.nanoTime());
    }

    @PUT
    @Path("/{accountId}/quota")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the tenant's own quota; it applies from the next request")
    public CompletionStage<QuotaView> setQuota(
            @PathParam("accountId") String accountId, QuotaView quota, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        if (quota == null) {
            throw ProblemException.invalid("the body must be a quota: {\"requestsPerSecond\": 100, …}");
        }
        return tenants.setQuota(accountId, Optional.of(quota.toQuota()))
                .thenApply(tenant -> QuotaView.of(tenant.quota().orElseThrow()));
    }

    @DELETE
    @Path("/{accountId}/quota")
    @Operation(summary = "Remove the tenant's own quota: the service-wide default applies again")
    public CompletionStage<Void> removeQuota(
            @PathParam("accountId") String accountId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.setQuota(accountId, Optional.empty()).thenApply(tenant -> null);
    }

    private CompletionStage<TenantView> setEnabled(String accountId, boolean enabled, RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.setTenantEnabled(accountId, enabled).thenApply(tenant -> TenantView.of(tenant, null));
    }

    private Tenant require(String accountId) {
        return tenants.tenant(accountId)
                .orElseThrow(() -> new TenantException(TenantException.Reason.NOT_FOUND, "no tenant " + accountId));
    }

    private List<KeyView> keys(String accountId) {
        return tenants.keys(accountId).stream().map(KeyView::of).toList();
    }
}
