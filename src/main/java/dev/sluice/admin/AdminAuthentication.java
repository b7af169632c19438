package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.AwsErrors;
import dev.sluice.auth.AccessKey;
import dev.sluice.auth.AuthException;
import dev.sluice.auth.SigV4Verifier;
import dev.sluice.auth.Tenants;
import dev.sluice.server.SignedRequests;
import dev.sluice.server.SluiceConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Decides who an admin API request is from, by the first credential it carries: {@code Authorization: Bearer <admin
 * token>}; in the sigv4 auth mode, an {@code Authorization: AWS4-HMAC-SHA256} signature by a tenant's key (checked by
 * the same verifier as SQS requests); the sign-in body of {@code POST /admin/session}; or the console's session
 * cookie with its CSRF header. A failure says whether it was a guess at a credential, which {@link LoginThrottle}
 * counts; a missing credential or a stale session is not.
 */
@ApplicationScoped
public class AdminAuthentication {
    static final String MISSING_CREDENTIALS = "MissingAdminCredentials";
    static final String INVALID_TOKEN = "InvalidAdminToken";
    static final String INVALID_TENANT_CREDENTIALS = "InvalidTenantCredentials";
    static final String INVALID_SESSION = "InvalidConsoleSession";
    static final String INVALID_CSRF_TOKEN = "InvalidCsrfToken";
    /** Too many failed authentications from one address ({@link AdminGate}, {@link LoginThrottle}). */
    static final String THROTTLED = "AdminAuthThrottled";
    /**
     * Every code a failed admin authentication is counted under in {@code sluice_auth_failures_total}, besides the SQS
     * codes of a bad tenant signature.
     */
    static final List<String> FAILURE_CODES = List.of(
            MISSING_CREDENTIALS,
            INVALID_TOKEN,
            INVALID_TENANT_CREDENTIALS,
            INVALID_SESSION,
            INVALID_CSRF_TOKEN,
            THROTTLED);

    static final String SESSION_PATH = "/admin/session";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a request is not let in: the HTTP status, a code for the metric and the reply, and whether it guessed. */
    static final class Failure extends RuntimeException {
        final int status;
        final String code;
        final boolean guess;

        Failure(int status, String code, String detail, boolean guess) {
            super(detail, null, false, false);
            this.status = status;
            this.code = code;
            this.guess = guess;
        }
    }

    private final Optional<byte[]> token;
    private final boolean sigv4;
    private final SigV4Verifier verifier;
    private final Tenants tenants;
    private final ConsoleSessions sessions = new ConsoleSessions();

    AdminAuthentication(SluiceConfig config, SigV4Verifier verifier, Tenants tenants) {
        this.token = config.admin()
                .token()
                .filter(value -> !value.isBlank())
                .map(value -> value.getBytes(StandardCharsets.UTF_8));
        this.sigv4 = config.auth().mode() == SluiceConfig.AuthMode.sigv4;
        this.verifier = verifier;
        this.tenants = tenants;
    }

    /** Whether the admin API exists at all: with an admin token, or in the sigv4 mode for tenants' keys. */
    boolean enabled() {
        return token.isPresent() || sigv4;
    }

    boolean hasToken() {
        return token.isPresent();
    }

    ConsoleSessions sessions() {
        return sessions;
    }

    Principal authenticate(HttpServerRequest request, byte[] body) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            return byAuthorization(request, authorization, body);
        }
        if (request.method() == HttpMethod.POST && SESSION_PATH.equals(request.path())) {
            return bySignIn(body);
        }
        Cookie cookie = request.getCookie(ConsoleSessions.COOKIE);
        if (cookie != null) {
            return bySession(request, cookie.getValue());
        }
        throw new Failure(
                401,
                MISSING_CREDENTIALS,
                "the admin API needs 'Authorization: Bearer <admin token>', a SigV4 signature by a tenant's key (sigv4"
                        + " auth mode) or a console session",
                false);
    }

    private Principal byAuthorization(HttpServerRequest request, String authorization, byte[] body) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (!tokenMatches(authorization.substring(7).strip())) {
                throw new Failure(401, INVALID_TOKEN, "the admin token is not valid", true);
            }
            return Principal.ADMIN;
        }
        if (!sigv4) {
            throw new Failure(
                    401,
                    INVALID_TOKEN,
                    "use 'Authorization: Bearer <admin token>' (tenant keys sign admin"
                            + " requests only in the sigv4 auth mode)",
                    true);
        }
        try {
            AccessKey key = verifier.verify(SignedRequests.of(request, body));
            return Principal.tenant(key.accountId(), key.accessKeyId());
        } catch (AuthException e) {
            throw new Failure(401, AwsErrors.translate(e).error().queryCode(), e.getMessage(), true);
        }
    }

    /** The console's sign-in: {"token": …} for the operator, {"accessKeyId": …, "secretAccessKey": …} for a tenant. */
    private Principal bySignIn(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ProblemException(
                    400, "InvalidJson", "sign in with {\"token\": …} or {\"accessKeyId\": …, \"secretAccessKey\": …}");
        }
        if (json.hasNonNull("token")) {
            if (!tokenMatches(json.get("token").asText())) {
                throw new Failure(401, INVALID_TOKEN, "the admin token is not valid", true);
            }
            return Principal.ADMIN;
        }
        String keyId = json.path("accessKeyId").asText("");
        String secret = json.path("secretAccessKey").asText("");
        if (!sigv4) {
            throw new Failure(
                    401, INVALID_TENANT_CREDENTIALS, "tenants sign in only in the sigv4 auth mode", !keyId.isEmpty());
        }
        Optional<AccessKey> key = tenants.find(keyId);
        // The secret is compared even for an unknown key, so the reply takes as long either way.
        byte[] expected = key.map(AccessKey::secret).orElse("").getBytes(StandardCharsets.UTF_8);
        boolean matches = MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8));
        if (key.isEmpty() || !matches || secret.isEmpty()) {
            throw new Failure(401, INVALID_TENANT_CREDENTIALS, "the access key or its secret is not valid", true);
        }
        return Principal.tenant(key.get().accountId(), key.get().accessKeyId());
    }

    private Principal bySession(HttpServerRequest request, String id) {
        ConsoleSessions.Session session = sessions.find(id)
                .orElseThrow(
                        () -> new Failure(401, INVALID_SESSION, "the console session has ended; sign in again", false));
        boolean readsItsOwnSession = request.method() == HttpMethod.GET && SESSION_PATH.equals(request.path());
        if (!readsItsOwnSession
                && !ConsoleSessions.csrfMatches(session, request.getHeader(ConsoleSessions.CSRF_HEADER))) {
            throw new Failure(
                    403,
                    INVALID_CSRF_TOKEN,
                    "a request with the console's cookie must carry its " + ConsoleSessions.CSRF_HEADER + " header",
                    false);
        }
        Principal principal = session.principal();
        if (!principal.admin() && tenants.find(principal.accessKeyId()).isEmpty()) {
            // The key was disabled or deleted since the sign-in: the session goes with it.
            sessions.end(id);
            throw new Failure(401, INVALID_SESSION, "the access key of this session is no longer valid", false);
        }
        return principal;
    }

    private boolean tokenMatches(String presented) {
        return token.isPresent() && MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8));
    }
}
