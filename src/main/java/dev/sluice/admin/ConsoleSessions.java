package dev.sluice.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The console's sign-ins: a random session id, kept only in an HttpOnly cookie, stands for the principal that signed
 * in, so the admin token or a tenant's secret never stays in the browser. Each session has its own random CSRF token,
 * which the console's script reads from {@code GET /admin/session} and sends back in {@value #CSRF_HEADER}: a page of
 * another site can make the browser send the cookie (were it not SameSite=Strict), but cannot read the token. Sessions
 * live in memory for {@link #LIFETIME} and end with the process.
 */
final class ConsoleSessions {
    static final String COOKIE = "sluice_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    record Session(Principal principal, String csrfToken, long expiresNanos) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    ConsoleSessions(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    ConsoleSessions() {
        this(System::nanoTime);
    }

    /** Starts a session; returns its id (the cookie's value). */
    String start(Principal principal) {
        long now = nanoTime.getAsLong();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(session -> session.expiresNanos() - now <= 0);
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.entrySet().stream()
                        .min(Comparator.comparingLong(entry -> entry.getValue().expiresNanos()))
                        .ifPresent(oldest -> sessions.remove(oldest.getKey()));
            }
        }
        String id = randomToken();
        sessions.put(id, new Session(principal, randomToken(), now + LIFETIME.toNanos()));
        return id;
    }

    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session != null && session.expiresNanos() - nanoTime.getAsLong() <= 0) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(session);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether the request's CSRF header is the session's token (compared in constant time). */
    static boolean csrfMatches(Session session, String header) {
        return header != null
                && MessageDigest.isEqual(
                        session.csrfToken().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
