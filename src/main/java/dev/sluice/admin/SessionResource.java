package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The console's sign-in. {@code POST} with {@code {"token": …}} (the operator) or {@code {"accessKeyId": …,
 * "secretAccessKey": …}} (a tenant, in the sigv4 auth mode) sets the session cookie: HttpOnly, SameSite=Strict, for
 * {@code /admin} only, Secure over HTTPS. The reply, and {@code GET}, carry the session's CSRF token, which every other
 * request made with the cookie must send in {@code X-CSRF-Token}. {@code DELETE} signs out.
 */
@Path(AdminAuthentication.SESSION_PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console session")
public class SessionResource {
    private final AdminAuthentication authentication;

    SessionResource(AdminAuthentication authentication) {
        this.authentication = authentication;
    }

    /** Who is signed in: role admin or tenant (with its account and key); csrfToken for a cookie session. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionView(String role, String accountId, String accessKeyId, String csrfToken) {
        static SessionView of(Principal principal, String csrfToken) {
            return new SessionView(
                    principal.admin() ? "admin" : "tenant", principal.accountId(), principal.accessKeyId(), csrfToken);
        }
    }

    /** The credentials of a sign-in; the admin API's gate has checked them before the resource sees them. */
    public record SignIn(String token, String accessKeyId, String secretAccessKey) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in to the console: sets the session cookie")
    @RequestBody(description = "{\"token\": …} or {\"accessKeyId\": …, \"secretAccessKey\": …}")
    public Response signIn(SignIn credentials, @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        String id = authentication.sessions().start(principal);
        String csrf = authentication.sessions().find(id).orElseThrow().csrfToken();
        return Response.ok(SessionView.of(principal, csrf))
                .cookie(cookie(id, context, (int) ConsoleSessions.LIFETIME.toSeconds()))
                .build();
    }

    @GET
    @Operation(summary = "Who is signed in, with the session's CSRF token")
    public SessionView current(@CookieParam(ConsoleSessions.COOKIE) String id, @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        String csrf = authentication
                .sessions()
                .find(id)
                .filter(session -> session.principal().equals(principal))
                .map(ConsoleSessions.Session::csrfToken)
                .orElse(null);
        return SessionView.of(principal, csrf);
    }

    @DELETE
    @Operation(summary = "Sign out: ends the session and clears the cookie")
    public Response signOut(@CookieParam(ConsoleSessions.COOKIE) String id, @Context RoutingContext context) {
        AdminGate.principal(context);
        authentication.sessions().end(id);
        return Response.noContent().cookie(cookie("", context, 0)).build();
    }

    private static NewCookie cookie(String value, RoutingContext context, int maxAgeSeconds) {
        return new NewCookie.Builder(ConsoleSessions.COOKIE)
                .value(value)
                .path("/admin")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .secure("https".equals(context.request().scheme()))
                .maxAge(maxAgeSeconds)
                .build();
    }
}
