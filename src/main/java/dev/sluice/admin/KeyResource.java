package dev.sluice.admin;

import dev.sluice.auth.Tenants;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Access keys by id: enable, disable (takes effect with the next request) and delete. */
@Path("/admin/keys/{accessKeyId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
public class KeyResource {
    private final Tenants tenants;

    KeyResource(Tenants tenants) {
        this.tenants = tenants;
    }

    @POST
    @Path("/enable")
    @Operation(summary = "Enable the key")
    public CompletionStage<TenantResource.KeyView> enable(
            @PathParam("accessKeyId") String accessKeyId, @Context RoutingContext context) {
        return setEnabled(accessKeyId, true, context);
    }

    @POST
    @Path("/disable")
    @Operation(summary = "Disable the key: it stops working with the next request")
    public CompletionStage<TenantResource.KeyView> disable(
            @PathParam("accessKeyId") String accessKeyId, @Context RoutingContext context) {
        return setEnabled(accessKeyId, false, context);
    }

    @DELETE
    @Operation(summary = "Delete the key")
    public CompletionStage<Void> delete(@PathParam("accessKeyId") String accessKeyId, @Context RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.deleteKey(accessKeyId);
    }

    private CompletionStage<TenantResource.KeyView> setEnabled(
            String accessKeyId, boolean enabled, RoutingContext context) {
        AdminGate.principal(context).requireAdmin();
        return tenants.setKeyEnabled(accessKeyId, enabled).thenApply(TenantResource.KeyView::of);
    }
}
