package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * The verifier against AWS's published SigV4 test suite (data in src/test/resources/sigv4, see its README), against
 * requests signed by the AWS SDK for Java v2's own signer, and against every kind of tampering.
 */
class SigV4VerifierTest {
    private static final String SUITE_KEY_ID = "AKIDEXAMPLE";
    private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final List<String> CASES = List.of(
            "get-vanilla",
            "get-vanilla-query-order-key-case",
            "get-vanilla-query-order-value",
            "get-vanilla-query-unreserved",
            "get-vanilla-utf8-query",
            "get-header-value-trim",
            "get-header-key-duplicate",
            "get-header-value-order",
            "get-unreserved",
            "get-utf8",
            "get-space-normalized",
            "get-slashes-normalized",
            "get-slash-dot-slash-normalized",
            "post-vanilla",
            "post-vanilla-query",
            "post-header-key-sort",
            "post-x-www-form-urlencoded",
            "presigned-get-vanilla-query-order-key-case");

    private static final AccessKey SUITE_KEY =
            new AccessKey(SUITE_KEY_ID, SUITE_SECRET, "111111111111", true, Instant.EPOCH);

    private static SigV4Verifier suiteVerifier(Instant now, boolean allowToken) {
        return new SigV4Verifier(
                id -> id.equals(SUITE_KEY_ID) ? Optional.of(SUITE_KEY) : Optional.empty(),
                InstantSource.fixed(now),
                "service",
                allowToken);
    }

    static Stream<String> suiteCases() {
        return CASES.stream();
    }

    @ParameterizedTest
    @MethodSource("suiteCases")
    void acceptsTheTestSuiteRequest(String name) throws IOException {
        SigV4Verifier.Request request = parse(resource(name + ".sreq"));
        String expectedCanonical = resourceOrNull(name + ".creq");
        if (expectedCanonical != null) {
            assertThat(canonical(request)).isEqualTo(expectedCanonical);
        }

        assertThat(suiteVerifier(SUITE_TIME, false).verify(request).accessKeyId())
                .isEqualTo(SUITE_KEY_ID);
    }

    @ParameterizedTest
    @MethodSource("suiteCases")
    void refusesTheTestSuiteRequestSignedWithAnotherSecret(String name) throws IOException {
        SigV4Verifier.Request request = parse(resource(name + ".sreq"));
        AccessKey other = new AccessKey(SUITE_KEY_ID, "another-secret", "111111111111", true, Instant.EPOCH);
        SigV4Verifier verifier =
                new SigV4Verifier(id -> Optional.of(other), InstantSource.fixed(SUITE_TIME), "service", false);

        assertError(() -> verifier.verify(request), AuthError.SIGNATURE_DOES_NOT_MATCH, "does not match");
    }

    @Test
    void aChangedSecretIsUsedAtOnceDespiteTheSigningKeyCache() throws IOException {
        SigV4Verifier.Request request = parse(resource("get-vanilla.sreq"));
        AccessKey[] current = {SUITE_KEY};
        SigV4Verifier verifier =
                new SigV4Verifier(id -> Optional.of(current[0]), InstantSource.fixed(SUITE_TIME), "service", false);
        assertThat(verifier.verify(request)).isEqualTo(SUITE_KEY);

        current[0] = new AccessKey(SUITE_KEY_ID, "rotated", "111111111111", true, Instant.EPOCH);

        assertError(() -> verifier.verify(request), AuthError.SIGNATURE_DOES_NOT_MATCH, "does not match");
    }

    @Test
    void sessionTokenIsRefusedUnlessAllowed() throws IOException {
        SigV4Verifier.Request request = parse(resource("get-vanilla-with-session-token.sreq"));

        assertError(
                () -> suiteVerifier(SUITE_TIME, false).verify(request),
                AuthError.INVALID_CLIENT_TOKEN_ID,
                "The security token included in the request is invalid.");
        assertThat(suiteVerifier(SUITE_TIME, true).verify(request)).isEqualTo(SUITE_KEY);
    }

    @Test
    void dateMoreThanFifteenMinutesOffIsSignatureExpired() throws IOException {
        SigV4Verifier.Request request = parse(resource("get-vanilla.sreq"));

        assertThat(suiteVerifier(SUITE_TIME.plus(Duration.ofMinutes(15)), false).verify(request))
                .isEqualTo(SUITE_KEY);
        assertError(
                () -> suiteVerifier(SUITE_TIME.plus(Duration.ofMinutes(25)), false)
                        .verify(request),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z (20150830T130100Z - 15 min.)");
        assertError(
                () -> suiteVerifier(SUITE_TIME.minus(Duration.ofMinutes(16)), false)
                        .verify(request),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z"
                        + " (20150830T122000Z + 15 min.)");
    }

    @Test
    void presignedRequestPastItsExpiryIsAccessDenied() throws IOException {
        SigV4Verifier.Request request = parse(resource("presigned-get-vanilla-query-order-key-case.sreq"));

        assertThat(suiteVerifier(SUITE_TIME.plus(Duration.ofMinutes(59)), false).verify(request))
                .isEqualTo(SUITE_KEY);
        assertError(
                () -> suiteVerifier(SUITE_TIME.plus(Duration.ofMinutes(61)), false)
                        .verify(request),
                AuthError.ACCESS_DENIED,
                "Request has expired.");
    }

    @Test
    void unknownOrDisabledKeyIsInvalidClientTokenId() throws IOException {
        SigV4Verifier.Request request = parse(resource("get-vanilla.sreq"));
        SigV4Verifier unknown =
                new SigV4Verifier(id -> Optional.empty(), InstantSource.fixed(SUITE_TIME), "service", false);
        SigV4Verifier disabled = new SigV4Verifier(
                id -> Optional.of(SUITE_KEY.withEnabled(false)), InstantSource.fixed(SUITE_TIME), "service", false);

        assertError(() -> unknown.verify(request), AuthError.INVALID_CLIENT_TOKEN_ID, "security token");
        assertError(() -> disabled.verify(request), AuthError.INVALID_CLIENT_TOKEN_ID, "security token");
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() {
        SigV4Verifier.Request request = new SigV4Verifier.Request(
                "POST", "/", "", Map.of("host", List.of("example.amazonaws.com")), "Action=ListQueues".getBytes());

        assertError(
                () -> suiteVerifier(SUITE_TIME, false).verify(request),
                AuthError.MISSING_AUTHENTICATION_TOKEN,
                "Request is missing Authentication Token");
    }

    @Test
    void authorizationHeaderWithoutSignatureIsIncompleteSignature() {
        SigV4Verifier.Request request = new SigV4Verifier.Request(
                "POST",
                "/",
                "",
                Map.of(
                        "host", List.of("example.amazonaws.com"),
                        "x-amz-date", List.of("20150830T123600Z"),
                        "authorization",
                                List.of(
                                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                                                + " SignedHeaders=host;x-amz-date")),
                new byte[0]);

        assertError(
                () -> suiteVerifier(SUITE_TIME, false).verify(request),
                AuthError.INCOMPLETE_SIGNATURE,
                "Authorization header requires 'Signature' parameter.");
    }

    @Test
    void tamperedBodyIsSignatureDoesNotMatch() throws IOException {
        SigV4Verifier.Request signed = parse(resource("post-x-www-form-urlencoded.sreq"));
        SigV4Verifier.Request tampered = new SigV4Verifier.Request(
                signed.method(), signed.rawPath(), signed.rawQuery(), signed.headers(), "Param1=value2".getBytes());

        assertError(
                () -> suiteVerifier(SUITE_TIME, false).verify(tampered),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "x-amz-content-sha256");
    }

    // ---- signatures made by the AWS SDK for Java v2

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final AccessKey SDK_KEY = new AccessKey("AKIDSLUICE", "s3cr3t/+=", "222222222222", true, NOW);
    private static final SigV4Verifier SDK_VERIFIER = new SigV4Verifier(
            id -> id.equals(SDK_KEY.accessKeyId()) ? Optional.of(SDK_KEY) : Optional.empty(),
            InstantSource.fixed(NOW),
            "sqs",
            false);

    private static SdkHttpFullRequest sdkRequest(String body) {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:9324/222222222222/orders"))
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "AmazonSQS.SendMessage")
                .putHeader("x-amz-query-mode", "true")
                .contentStreamProvider(RequestBody.fromString(body).contentStreamProvider())
                .build();
    }

    @SuppressWarnings("deprecation")
    private static SdkHttpFullRequest sdkSigned(SdkHttpFullRequest request, String secret) {
        return Aws4Signer.create()
                .sign(
                        request,
                        Aws4SignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(SDK_KEY.accessKeyId(), secret))
                                .signingName("sqs")
                                .signingRegion(Region.EU_CENTRAL_1)
                                .signingClockOverride(Clock.fixed(NOW, ZoneOffset.UTC))
                                .build());
    }

    private static SigV4Verifier.Request fromSdk(SdkHttpFullRequest signed, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        headers.put("host", List.of("localhost:9324"));
        return new SigV4Verifier.Request(signed.method().name(), signed.encodedPath(), rawQuery(signed), headers, body);
    }

    private static String rawQuery(SdkHttpFullRequest signed) {
        List<String> pairs = new ArrayList<>();
        signed.rawQueryParameters()
                .forEach((name, values) -> values.forEach(
                        value -> pairs.add(SigV4Verifier.uriEncode(name) + "=" + SigV4Verifier.uriEncode(value))));
        return String.join("&", pairs);
    }

    @Test
    void acceptsARequestSignedByTheSdk() {
        String body = "{\"QueueUrl\":\"http://localhost:9324/222222222222/orders\",\"MessageBody\":\"hi there\"}";
        SdkHttpFullRequest signed = sdkSigned(sdkRequest(body), SDK_KEY.secret());

        assertThat(SDK_VERIFIER.verify(fromSdk(signed, body.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(SDK_KEY);
    }

    @Test
    void refusesAnSdkRequestWithATamperedBodyOrWrongSecret() {
        String body = "{\"MessageBody\":\"pay 10\"}";
        SdkHttpFullRequest signed = sdkSigned(sdkRequest(body), SDK_KEY.secret());
        SdkHttpFullRequest wrongSecret = sdkSigned(sdkRequest(body), "not-the-secret");

        assertError(
                () -> SDK_VERIFIER.verify(fromSdk(signed, "{\"MessageBody\":\"pay 99\"}".getBytes())),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "does not match");
        assertError(
                () -> SDK_VERIFIER.verify(fromSdk(wrongSecret, body.getBytes())),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "does not match");
    }

    @Test
    @SuppressWarnings("deprecation")
    void acceptsAUrlPresignedByTheSdk() {
        SdkHttpFullRequest get = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("http://localhost:9324/222222222222/orders"))
                .putRawQueryParameter("Action", "SendMessage")
                .putRawQueryParameter("MessageBody", "hello world & more")
                .build();
        SdkHttpFullRequest presigned = Aws4Signer.create()
                .presign(
                        get,
                        Aws4PresignerParams.builder()
                                .awsCredentials(AwsBasicCredentials.create(SDK_KEY.accessKeyId(), SDK_KEY.secret()))
                                .signingName("sqs")
                                .signingRegion(Region.US_EAST_1)
                                .signingClockOverride(Clock.fixed(NOW, ZoneOffset.UTC))
                                .expirationTime(NOW.plusSeconds(300))
                                .build());

        assertThat(SDK_VERIFIER.verify(fromSdk(presigned, new byte[0]))).isEqualTo(SDK_KEY);
        SigV4Verifier later =
                new SigV4Verifier(id -> Optional.of(SDK_KEY), InstantSource.fixed(NOW.plusSeconds(301)), "sqs", false);
        assertError(() -> later.verify(fromSdk(presigned, new byte[0])), AuthError.ACCESS_DENIED, "expired");
    }

    @Test
    void credentialScopedToAnotherServiceIsRefused() {
        SdkHttpFullRequest signed = sdkSigned(sdkRequest("{}"), SDK_KEY.secret());
        SigV4Verifier sns = new SigV4Verifier(id -> Optional.of(SDK_KEY), InstantSource.fixed(NOW), "sns", false);

        assertError(
                () -> sns.verify(fromSdk(signed, "{}".getBytes())),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "Credential should be scoped to correct service: 'sns'.");
    }

    // ---- strictness: what must be signed, expiry of presigned URLs, the form of the region

    private static SigV4Verifier.Request withQuery(SigV4Verifier.Request request, String rawQuery) {
        return new SigV4Verifier.Request(
                request.method(), request.rawPath(), rawQuery, request.headers(), request.body());
    }

    private static SigV4Verifier.Request withHeader(SigV4Verifier.Request request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.put(name, List.of(value));
        return new SigV4Verifier.Request(
                request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    @Test
    void presignedUrlWithoutOrBeyondAwsBoundsOfExpiresIsRefused() throws IOException {
        SigV4Verifier.Request request = parse(resource("presigned-get-vanilla-query-order-key-case.sreq"));
        SigV4Verifier verifier = suiteVerifier(SUITE_TIME, false);

        assertError(
                () -> verifier.verify(withQuery(request, request.rawQuery().replace("&X-Amz-Expires=3600", ""))),
                AuthError.INCOMPLETE_SIGNATURE,
                "must include 'X-Amz-Expires'");
        for (String expires : List.of("0", "-5", "604801", "soon")) {
            assertError(
                    () -> verifier.verify(withQuery(
                            request, request.rawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=" + expires))),
                    AuthError.INCOMPLETE_SIGNATURE,
                    "X-Amz-Expires must be a number of seconds from 1 to 604800");
        }
    }

    @Test
    void anUnsignedAmzHeaderIsRefusedBeforeTheSignatureIsChecked() {
        String body = "{\"QueueUrl\":\"http://localhost:9324/222222222222/orders\",\"MessageBody\":\"hi\"}";
        SdkHttpFullRequest withoutTarget =
                sdkRequest(body).toBuilder().removeHeader("X-Amz-Target").build();
        SdkHttpFullRequest signed = sdkSigned(withoutTarget, SDK_KEY.secret());
        SigV4Verifier.Request replayed =
                withHeader(fromSdk(signed, body.getBytes()), "x-amz-target", "AmazonSQS.DeleteQueue");

        assertError(
                () -> SDK_VERIFIER.verify(replayed),
                AuthError.INCOMPLETE_SIGNATURE,
                "headers present in the request which were not signed: x-amz-target.");
    }

    @Test
    void aSignatureWithoutHostIsRefused() {
        SdkHttpFullRequest signed = sdkSigned(sdkRequest("{}"), SDK_KEY.secret());
        SigV4Verifier.Request request = fromSdk(signed, "{}".getBytes());
        String authorization = request.header("authorization").replaceFirst("(SignedHeaders=[^,]*?)host;", "$1");
        assertThat(authorization).doesNotContain("host");

        assertError(
                () -> SDK_VERIFIER.verify(withHeader(request, "authorization", authorization)),
                AuthError.INCOMPLETE_SIGNATURE,
                "'Host' or ':authority' must be a 'SignedHeader'");
    }

    @Test
    @SuppressWarnings("deprecation")
    void credentialScopeMustNameAWellFormedRegion() {
        for (String region : List.of("elasticmq", "us east 1", "US-EAST-1", "us-east-")) {
            SdkHttpFullRequest signed = Aws4Signer.create()
                    .sign(
                            sdkRequest("{}"),
                            Aws4SignerParams.builder()
                                    .awsCredentials(AwsBasicCredentials.create(SDK_KEY.accessKeyId(), SDK_KEY.secret()))
                                    .signingName("sqs")
                                    .signingRegion(Region.of(region))
                                    .signingClockOverride(Clock.fixed(NOW, ZoneOffset.UTC))
                                    .build());

            assertError(
                    () -> SDK_VERIFIER.verify(fromSdk(signed, "{}".getBytes())),
                    AuthError.SIGNATURE_DOES_NOT_MATCH,
                    "Credential should be scoped to a valid region.");
        }
        assertThat(SDK_VERIFIER.verify(fromSdk(sdkSigned(sdkRequest("{}"), SDK_KEY.secret()), "{}".getBytes())))
                .isEqualTo(SDK_KEY);
    }

    @Test
    void headersAloneTellAnUnknownKeyOrAStaleDate() throws IOException {
        SigV4Verifier.Request request = parse(resource("post-x-www-form-urlencoded.sreq"));
        SigV4Verifier.Request withoutBody = new SigV4Verifier.Request(
                request.method(), request.rawPath(), request.rawQuery(), request.headers(), null);
        SigV4Verifier unknown =
                new SigV4Verifier(id -> Optional.empty(), InstantSource.fixed(SUITE_TIME), "service", false);

        assertError(() -> unknown.checkHeaders(withoutBody), AuthError.INVALID_CLIENT_TOKEN_ID, "security token");
        assertError(
                () -> suiteVerifier(SUITE_TIME.plus(Duration.ofHours(1)), false).checkHeaders(withoutBody),
                AuthError.SIGNATURE_DOES_NOT_MATCH,
                "Signature expired");
        SigV4Verifier verifier = suiteVerifier(SUITE_TIME, false);
        assertThat(verifier.verify(verifier.checkHeaders(withoutBody), request.body()))
                .isEqualTo(SUITE_KEY);
    }

    // ---- helpers

    private static void assertError(Runnable call, AuthError error, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessageContaining(message);
    }

    private static String canonical(SigV4Verifier.Request request) {
        List<String[]> query = SigV4Verifier.parseQuery(request.rawQuery());
        String authorization = request.header("authorization");
        boolean presigned = authorization == null;
        String signedHeaders = presigned
                ? query.stream()
                        .filter(p -> p[0].equals("X-Amz-SignedHeaders"))
                        .findFirst()
                        .orElseThrow()[1]
                : authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        return SigV4Verifier.canonicalRequest(
                request,
                SigV4Verifier.canonicalQuery(query, presigned),
                List.of(signedHeaders.split(";")),
                java.util.HexFormat.of().formatHex(SigV4Verifier.sha256(request.body())));
    }

    /** Reads a suite request: request line, "Name:value" header lines, a blank line, the body. */
    static SigV4Verifier.Request parse(String text) {
        int blank = text.indexOf("\n\n");
        String head = blank < 0 ? text : text.substring(0, blank);
        byte[] body = blank < 0 ? new byte[0] : text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        String[] lines = head.split("\n");
        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? "" : target.substring(question + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(
                            lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                            k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1));
        }
        return new SigV4Verifier.Request(method, path, query, headers, body);
    }

    private static String resource(String name) throws IOException {
        String text = resourceOrNull(name);
        if (text == null) {
            throw new IOException("no test resource sigv4/" + name);
        }
        return text;
    }

    private static String resourceOrNull(String name) throws IOException {
        try (InputStream in = SigV4VerifierTest.class.getResourceAsStream("/sigv4/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
