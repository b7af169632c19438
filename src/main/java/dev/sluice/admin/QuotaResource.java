package dev.sluice.admin;

import dev.sluice.auth.Tenants;
import dev.sluice.quota.Quotas;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every tenant's quota in use (the operator's alone); one tenant's is read, set and removed under
 * {@code /admin/tenants/{accountId}/quota} ({@link TenantResource}).
 */
@Path("/admin/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Quotas")
public class QuotaResource {
    private final Tenants tenants;
    private final Quotas quotas;

    QuotaResource(Tenants tenants, Quotas quotas) {
        this.tenants = tenants;
        this.quotas = quotas;
    }

    /** The service-wide default, whether FIFO throughput limits are on, and every tenant's quota in use. */
    public record QuotasView(QuotaView defaults, boolean fifoThroughput, List<Quotas.Usage> tenants) {}

    @GET
    @Operation(summary = "The default quota and every tenant's quota in use")
    public QuotasView list(@Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        long now = System.nanoTime();
        return new QuotasView(
                QuotaView.of(quotas.defaults()),
                quotas.fifoLimits(),
                tenants.list().stream()
                        .map(tenant -> quotas.usage(tenant.accountId(), now))
                        .toList());
    }
}
