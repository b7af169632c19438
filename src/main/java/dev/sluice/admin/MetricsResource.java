package dev.sluice.admin;

import dev.sluice.server.AuthFailures;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Failed authentications by code, of the SQS surface and the admin API alike (also at /q/metrics). */
@Path("/admin/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics")
public class MetricsResource {
    private final AuthFailures failures;

    MetricsResource(AuthFailures failures) {
        this.failures = failures;
    }

    public record AuthMetrics(long authFailuresTotal, Map<String, Long> authFailures) {}

    @GET
    @Operation(summary = "Failed authentications by code")
    public AuthMetrics get(@Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return new AuthMetrics(failures.total(), failures.byCode());
    }
}
