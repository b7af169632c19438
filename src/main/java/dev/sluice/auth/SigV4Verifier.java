package dev.sluice.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 as AWS does for a non-S3 service: the {@code Authorization} header form and the
 * presigned query-string form (AWS General Reference, "Create a signed AWS API request"; the cases of AWS's SigV4
 * test suite run in SigV4VerifierTest). The canonical URI is the path normalized (empty, "." and ".." segments
 * removed) and URI-encoded once more, as the SDKs sign for every service but S3. The signature is compared in constant
 * time; error messages never contain the secret or the expected signature.
 */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** SigV4: a request dated more than 15 minutes from the server's clock is refused. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** SigV4: a presigned URL is valid for at most 7 days. */
    private static final long MAX_EXPIRES_SECONDS = 604_800;

    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter AMZ_DATE_PARSER =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final Pattern SEQUENTIAL_SPACES = Pattern.compile(" {2,}");

    private static final HexFormat HEX = HexFormat.of();
    /** Derived signing keys are valid for a day and a scope; caching them saves four of five HMACs per request. */
    private static final int MAX_CACHED_KEYS = 4096;

    private record CachedKey(String secret, byte[] signingKey) {}

    private final Map<String, CachedKey> signingKeys = new ConcurrentHashMap<>();
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";
    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    /** The active access keys: an unknown or disabled key, or a key of a disabled tenant, is absent. */
    @FunctionalInterface
    public interface Keys {
        Optional<AccessKey> find(String accessKeyId);

        /**
         * A key this replica does not know may have been created through another replica a moment ago, before its
         * notice arrived: reads it from the shared storage, if there is one. Completes with whether it is known now.
         */
        default CompletionStage<Boolean> lookUp(String accessKeyId) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /**
     * A request as it came over the wire: the raw (still percent-encoded) path and query, header names in lower case
     * with every value in arrival order, and the body bytes.
     */
    public record Request(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final Keys keys;
    private final InstantSource clock;
    private final String service;
    private final boolean allowSecurityToken;

    /**
     * @param service the service name the credential scope must name ({@code sqs}), or null to accept any
     * @param allowSecurityToken whether a request with X-Amz-Security-Token is accepted (the token is then ignored)
     */
    public SigV4Verifier(Keys keys, InstantSource clock, String service, boolean allowSecurityToken) {
        this.keys = keys;
        this.clock = clock;
        this.service = service;
        this.allowSecurityToken = allowSecurityToken;
    }

    /** See {@link Keys#lookUp}: after a refusal for an unknown key, whether it exists after all. */
    public CompletionStage<Boolean> lookUp(String accessKeyId) {
        return keys.lookUp(accessKeyId);
    }

    /**
     * What a request's headers and query say about its signature, checked as far as can be without the body: the
     * form, the key (known and enabled), the scope, the date (within 15 minutes, or the presigned URL's expiry) and
     * which headers are signed. The server runs this before reading a body, so an unknown key or a stale date costs no
     * memory for the body it declares.
     */
    public record PendingSignature(
            Request request,
            AccessKey key,
            Scope scope,
            Instant date,
            String canonicalQuery,
            List<String> signedHeaders,
            String signature) {}

    /** The key that signed the request; throws {@link AuthException} with AWS's error when it does not verify. */
    public AccessKey verify(Request request) {
        return verify(checkHeaders(request), request.body());
    }

    /** Checks everything but the body; the request's body is not read (it may be null). */
    public PendingSignature checkHeaders(Request request) {
        List<String[]> query = parseQuery(request.rawQuery());
        String authorization = request.header("authorization");
        if (authorization != null) {
            return checkHeaderForm(request, query, authorization);
        }
        if (first(query, "X-Amz-Algorithm") != null || first(query, "X-Amz-Signature") != null) {
            return checkPresigned(request, query);
        }
        throw new AuthException(AuthError.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
    }

    /** Finishes {@link #checkHeaders}: the body's hash and the signature itself. */
    public AccessKey verify(PendingSignature pending, byte[] body) {
        Request request = pending.request();
        String canonical = canonicalRequest(
                request, pending.canonicalQuery(), pending.signedHeaders(), payloadHash(request, body));
        checkSignature(pending.key(), pending.scope(), pending.date(), canonical, pending.signature());
        return pending.key();
    }

    private PendingSignature checkHeaderForm(Request request, List<String[]> query, String authorization) {
        String trimmed = authorization.strip();
        if (!trimmed.startsWith(ALGORITHM + " ")) {
            String algorithm = trimmed.split("\\s+", 2)[0];
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "Unsupported AWS 'algorithm': '" + algorithm + "'. Authorization header requires '" + ALGORITHM
                            + "'.");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : trimmed.substring(ALGORITHM.length()).split(",")) {
            String item = part.strip();
            int equals = item.indexOf('=');
            if (equals > 0) {
                parts.put(
                        item.substring(0, equals).strip(),
                        item.substring(equals + 1).strip());
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (parts.get(name) == null || parts.get(name).isEmpty()) {
                missing.append("Authorization header requires '").append(name).append("' parameter. ");
            }
        }
        String amzDate = request.header("x-amz-date");
        String httpDate = request.header("date");
        if (amzDate == null && httpDate == null) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (!missing.isEmpty()) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE, missing + "Authorization=" + redact(trimmed, parts));
        }
        Instant date = amzDate != null ? parseAmzDate(amzDate) : parseHttpDate(httpDate);
        Scope scope = Scope.parse(parts.get("Credential"));
        String tokenHeader = request.header("x-amz-security-token");
        AccessKey key = checkKeyAndScope(scope, date, tokenHeader != null);
        checkSkew(date);
        List<String> signedHeaders = List.of(parts.get("SignedHeaders").split(";"));
        requireSigned(request, signedHeaders, List.of());
        return new PendingSignature(
                request, key, scope, date, canonicalQuery(query, false), signedHeaders, parts.get("Signature"));
    }

    private PendingSignature checkPresigned(Request request, List<String[]> query) {
        StringBuilder missing = new StringBuilder();
        for (String name : List.of(
                "X-Amz-Algorithm",
                "X-Amz-Credential",
                "X-Amz-Signature",
                "X-Amz-Date",
                "X-Amz-Expires",
                "X-Amz-SignedHeaders")) {
            if (first(query, name) == null) {
                missing.append("AWS query-string parameters must include '")
                        .append(name)
                        .append("'. ");
            }
        }
        if (!missing.isEmpty()) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE, missing + "Re-examine the query-string parameters.");
        }
        if (!ALGORITHM.equals(first(query, "X-Amz-Algorithm"))) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "X-Amz-Algorithm only supports \"" + ALGORITHM + "\". Re-examine the query-string parameters.");
        }
        Instant date = parseAmzDate(first(query, "X-Amz-Date"));
        Scope scope = Scope.parse(first(query, "X-Amz-Credential"));
        boolean token = first(query, "X-Amz-Security-Token") != null || request.header("x-amz-security-token") != null;
        AccessKey key = checkKeyAndScope(scope, date, token);
        Instant now = clock.instant();
        if (date.isAfter(now.plus(MAX_SKEW))) {
            throw notYetCurrent(date, now);
        }
        // SigV4: a presigned URL says how long it is valid, 1 second to 7 days; without it, it would never expire.
        long seconds;
        try {
            seconds = Long.parseLong(first(query, "X-Amz-Expires"));
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "X-Amz-Expires must be a number of seconds from 1 to " + MAX_EXPIRES_SECONDS + " (7 days).");
        }
        if (now.isAfter(date.plusSeconds(seconds))) {
            throw new AuthException(AuthError.ACCESS_DENIED, "Request has expired.");
        }
        List<String> signedHeaders = List.of(first(query, "X-Amz-SignedHeaders").split(";"));
        requireSigned(request, signedHeaders, query);
        return new PendingSignature(
                request, key, scope, date, canonicalQuery(query, true), signedHeaders, first(query, "X-Amz-Signature"));
    }

    /**
     * SigV4: {@code host} is always signed, and so is every {@code x-amz-*} header the request carries. Otherwise a
     * captured signature could be replayed with such a header added or changed: a SendMessage signed without
     * {@code x-amz-target} would become a DeleteQueue. A presigned URL's request may repeat one of its own
     * {@code X-Amz-*} query parameters as a header with the same value (AWS's test suite does), which adds nothing.
     */
    private static void requireSigned(Request request, List<String> signedHeaders, List<String[]> query) {
        if (!signedHeaders.contains("host")) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        List<String> unsigned = new ArrayList<>(0);
        request.headers().forEach((name, values) -> {
            if (name.startsWith("x-amz-") && !signedHeaders.contains(name) && !repeatsQuery(name, values, query)) {
                unsigned.add(name);
            }
        });
        if (!unsigned.isEmpty()) {
            unsigned.sort(null);
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "There were headers present in the request which were not signed: " + String.join(", ", unsigned)
                            + ".");
        }
    }

    private static boolean repeatsQuery(String header, List<String> values, List<String[]> query) {
        for (String[] pair : query) {
            if (pair[0].equalsIgnoreCase(header)
                    && values.size() == 1
                    && values.getFirst().strip().equals(pair[1])) {
                return true;
            }
        }
        return false;
    }

    private AccessKey checkKeyAndScope(Scope scope, Instant date, boolean securityToken) {
        // Not orElseThrow with a lambda: capturing the scope would allocate on every request.
        AccessKey key =
                keys.find(scope.accessKeyId()).filter(AccessKey::enabled).orElse(null);
        if (key == null) {
            throw new AuthException(AuthError.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN, scope.accessKeyId());
        }
        if (securityToken && !allowSecurityToken) {
            // Sluice issues no session tokens: a request that carries one cannot have been signed with our keys.
            throw new AuthException(AuthError.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN);
        }
        if (!RegionName.isRegion(scope.region())) {
            throw new AuthException(
                    AuthError.SIGNATURE_DOES_NOT_MATCH, "Credential should be scoped to a valid region.");
        }
        if (service != null && !service.equals(scope.service())) {
            throw new AuthException(
                    AuthError.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to correct service: '" + service + "'. ");
        }
        String day = AMZ_DATE.format(date).substring(0, 8);
        if (!day.equals(scope.date())) {
            throw new AuthException(
                    AuthError.SIGNATURE_DOES_NOT_MATCH,
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + scope.date() + "' != '" + day + "', from '" + AMZ_DATE.format(date) + "'.");
        }
        return key;
    }

    private void checkSkew(Instant date) {
        Instant now = clock.instant();
        if (date.isBefore(now.minus(MAX_SKEW))) {
            throw new AuthException(
                    AuthError.SIGNATURE_DOES_NOT_MATCH,
                    "Signature expired: " + AMZ_DATE.format(date) + " is now earlier than "
                            + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
        if (date.isAfter(now.plus(MAX_SKEW))) {
            throw notYetCurrent(date, now);
        }
    }

    private static AuthException notYetCurrent(Instant date, Instant now) {
        return new AuthException(
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "Signature not yet current: " + AMZ_DATE.format(date) + " is still later than "
                        + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
    }

    private void checkSignature(AccessKey key, Scope scope, Instant date, String canonicalRequest, String provided) {
        String stringToSign = ALGORITHM + "\n" + AMZ_DATE.format(date) + "\n" + scope.scope() + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] signingKey = cachedSigningKey(key, scope);
        byte[] expected = HEX.formatHex(hmac(signingKey, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = provided.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new AuthException(AuthError.SIGNATURE_DOES_NOT_MATCH, SIGNATURE_MISMATCH);
        }
    }

    /** The canonical request of SigV4, step 1; package-private so the test suite's canonical requests can be checked. */
    static String canonicalRequest(
            Request request, String canonicalQuery, List<String> signedHeaders, String payloadHash) {
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append('\n');
        out.append(canonicalUri(request.rawPath())).append('\n');
        out.append(canonicalQuery).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            out.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                String value = values.get(i).strip();
                out.append(
                        value.contains("  ") ? SEQUENTIAL_SPACES.matcher(value).replaceAll(" ") : value);
            }
            out.append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n');
        out.append(payloadHash);
        return out.toString();
    }

    /**
     * The hash the signature covers: the x-amz-content-sha256 header when sent (UNSIGNED-PAYLOAD included), else the
     * body's SHA-256. A sent hash that is not the body's is refused, so a tampered body cannot hide behind it.
     */
    private static String payloadHash(Request request, byte[] body) {
        String declared = request.header("x-amz-content-sha256");
        if (declared != null && (declared.equals("UNSIGNED-PAYLOAD") || declared.startsWith("STREAMING-"))) {
            return declared;
        }
        String actual = HEX.formatHex(sha256(body == null ? new byte[0] : body));
        if (declared != null && !declared.equalsIgnoreCase(actual)) {
            throw new AuthException(
                    AuthError.SIGNATURE_DOES_NOT_MATCH,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return declared != null ? declared : actual;
    }

    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            switch (segment) {
                case "", "." -> {}
                case ".." -> {
                    if (!segments.isEmpty()) {
                        segments.removeLast();
                    }
                }
                default -> segments.add(segment);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append('/').append(uriEncode(segment));
        }
        if (segments.isEmpty() || rawPath.endsWith("/")) {
            out.append('/');
        }
        return out.toString();
    }

    /** Parameters decoded, then re-encoded as SigV4 spells them and sorted by name, then value. */
    static String canonicalQuery(List<String[]> query, boolean presigned) {
        List<String[]> encoded = new ArrayList<>(query.size());
        for (String[] pair : query) {
            if (presigned && pair[0].equals("X-Amz-Signature")) {
                continue;
            }
            encoded.add(new String[] {uriEncode(pair[0]), uriEncode(pair[1])});
        }
        encoded.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] pair : encoded) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** Name/value pairs of a raw query string, percent-decoded ('+' stays '+': SDKs encode a space as %20). */
    static List<String[]> parseQuery(String rawQuery) {
        List<String[]> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String item : rawQuery.split("&")) {
            if (item.isEmpty()) {
                continue;
            }
            int equals = item.indexOf('=');
            String name = equals < 0 ? item : item.substring(0, equals);
            String value = equals < 0 ? "" : item.substring(equals + 1);
            pairs.add(new String[] {percentDecode(name), percentDecode(value)});
        }
        return pairs;
    }

    private static String first(List<String[]> query, String name) {
        for (String[] pair : query) {
            if (pair[0].equals(name)) {
                return pair[1];
            }
        }
        return null;
    }

    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    bytes.write(high * 16 + low);
                    i += 2;
                    continue;
                }
            }
            byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                raw = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            }
            bytes.writeBytes(raw);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** SigV4's URI encoding: every byte but the unreserved characters A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex. */
    static String uriEncode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static Instant parseAmzDate(String value) {
        try {
            return LocalDateTime.parse(value, AMZ_DATE_PARSER).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new AuthException(
                    AuthError.INCOMPLETE_SIGNATURE,
                    "Date must be in ISO-8601 'basic format'. Got '" + value + "'. See"
                            + " http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    private static Instant parseHttpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return parseAmzDate(value);
        }
    }

    /** The header as received with its signature cut short, for IncompleteSignature messages. */
    private static String redact(String authorization, Map<String, String> parts) {
        String signature = parts.get("Signature");
        return signature == null || signature.length() < 8
                ? authorization
                : authorization.replace(signature, signature.substring(0, 4) + "...");
    }

    /** The credential scope: {@code keyId/yyyyMMdd/region/service/aws4_request}. */
    public record Scope(String accessKeyId, String date, String region, String service) {
        static Scope parse(String credential) {
            String[] parts = credential.split("/");
            if (parts.length != 5 || !parts[4].equals("aws4_request") || parts[0].isEmpty()) {
                throw new AuthException(
                        AuthError.INCOMPLETE_SIGNATURE,
                        "Credential should be scoped to a valid region, a service and the terminator 'aws4_request'."
                                + " Credential=" + credential.replaceAll("^[^/]*", "..."));
            }
            return new Scope(parts[0], parts[1], parts[2], parts[3]);
        }

        String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    private byte[] cachedSigningKey(AccessKey key, Scope scope) {
        String id = key.accessKeyId() + "/" + scope.scope();
        CachedKey cached = signingKeys.get(id);
        if (cached != null && cached.secret().equals(key.secret())) {
            return cached.signingKey();
        }
        byte[] derived = signingKey(key.secret(), scope);
        if (signingKeys.size() >= MAX_CACHED_KEYS) {
            signingKeys.clear();
        }
        signingKeys.put(id, new CachedKey(key.secret(), derived));
        return derived;
    }

    private static byte[] signingKey(String secret, Scope scope) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope.date());
        key = hmac(key, scope.region());
        key = hmac(key, scope.service());
        return hmac(key, "aws4_request");
    }

    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC key of any length is valid", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }
}
