package dev.sluice.admin;

import static dev.sluice.server.SigV4Profile.ACCOUNT_A;
import static dev.sluice.server.SigV4Profile.ADMIN_TOKEN;
import static dev.sluice.server.SigV4Profile.KEY_A;
import static dev.sluice.server.SigV4Profile.SECRET_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.SigV4Profile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over real HTTP: the session cookie's flags, the CSRF token every cookie request must carry,
 * tenants signing in with their keys, sign-out; the console page's Content-Security-Policy; the OpenAPI document.
 */
@QuarkusTest
@TestProfile(SigV4Profile.class)
class ConsoleSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI base;

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> reply) {
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + reply.body(), e);
        }
    }

    /** The session cookie as the browser sends it back: name=value. */
    private static String cookie(HttpResponse<String> signIn) {
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void theOperatorSignsInWithAStrictHttpOnlyCookieAndEachRequestNeedsTheCsrfToken() {
        HttpResponse<String> signIn = send("POST", "/admin/session", "{\"token\":\"" + ADMIN_TOKEN + "\"}", Map.of());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("sluice_session=")
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict")
                .containsIgnoringCase("Path=/admin");
        assertThat(signIn.body()).doesNotContain(ADMIN_TOKEN);
        String csrf = json(signIn).get("csrfToken").asText();
        assertThat(json(signIn).get("role").asText()).isEqualTo("admin");
        String cookie = cookie(signIn);

        HttpResponse<String> forged = send("GET", "/admin/tenants", null, Map.of("Cookie", cookie));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json(forged).get("code").asText()).isEqualTo("InvalidCsrfToken");
        HttpResponse<String> wrongToken =
                send("GET", "/admin/tenants", null, Map.of("Cookie", cookie, "X-CSRF-Token", "guessed"));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/admin/tenants", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf))
                        .statusCode())
                .isEqualTo(200);
        assertThat(json(send("GET", "/admin/session", null, Map.of("Cookie", cookie)))
                        .get("csrfToken")
                        .asText())
                .as("a reloaded console learns its token again")
                .isEqualTo(csrf);

        HttpResponse<String> signOut =
                send("DELETE", "/admin/session", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
        assertThat(signOut.statusCode()).isEqualTo(204);
        assertThat(signOut.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("Max-Age=0");
        HttpResponse<String> after =
                send("GET", "/admin/tenants", null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(json(after).get("code").asText()).isEqualTo("InvalidConsoleSession");
    }

    @Test
    void aTenantSignsInWithItsKeyAndMayUseOnlyItsOwnQueues() {
        HttpResponse<String> wrong = send(
                "POST",
                "/admin/session",
                "{\"accessKeyId\":\"" + KEY_A + "\",\"secretAccessKey\":\"not-it\"}",
                Map.of());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("code").asText()).isEqualTo("InvalidTenantCredentials");

        HttpResponse<String> signIn = send(
                "POST",
                "/admin/session",
                "{\"accessKeyId\":\"" + KEY_A + "\",\"secretAccessKey\":\"" + SECRET_A + "\"}",
                Map.of());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
        JsonNode session = json(signIn);
        assertThat(session.get("role").asText()).isEqualTo("tenant");
        assertThat(session.get("accountId").asText()).isEqualTo(ACCOUNT_A);
        Map<String, String> headers = Map.of(
                "Cookie",
                cookie(signIn),
                "X-CSRF-Token",
                session.get("csrfToken").asText());

        assertThat(send("GET", "/admin/queues", null, headers).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/admin/tenants", null, headers).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/admin/queues?account=222222222222", null, headers)
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void theConsolePageAllowsScriptsOnlyFromThisServer() {
        HttpResponse<String> page = send("GET", "/console", null, Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'")
                .contains("script-src 'self' 'sha256-")
                .contains("frame-ancestors 'none'");
        assertThat(page.body()).contains("<script type=\"importmap\">").contains("\"lit\"");
        String lit = page.body().replaceAll("(?s).*\"lit\" *: *\"([^\"]+)\".*", "$1");
        assertThat(send("GET", lit, null, Map.of()).statusCode()).as(lit).isEqualTo(200);
        assertThat(send("GET", "/console/app.js", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/console/console.css", null, Map.of()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheAdminApi() {
        HttpResponse<String> document = send("GET", "/q/openapi?format=json", null, Map.of());
        assertThat(document.statusCode()).isEqualTo(200);
        JsonNode paths = json(document).get("paths");
        assertThat(paths.has("/admin/queues")).isTrue();
        assertThat(paths.has("/admin/queues/{accountId}/{queueName}/messages")).isTrue();
        assertThat(paths.has("/admin/queues/{accountId}/{queueName}/move-tasks"))
                .isTrue();
        assertThat(paths.has("/admin/tenants")).isTrue();
        assertThat(paths.has("/admin/tenants/{accountId}/quota")).isTrue();
        assertThat(paths.has("/admin/quotas")).isTrue();
        assertThat(paths.has("/admin/clock/advance")).isTrue();
    }
}
