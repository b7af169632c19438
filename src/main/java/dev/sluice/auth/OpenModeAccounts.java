package dev.sluice.auth;

import java.util.regex.Pattern;

/**
 * The {@code open} auth mode: any credentials are accepted, and an access key id of 12 digits selects that account
 * (so a test can act as several accounts without configuring any), anything else the default account. The region the
 * credential scope names selects the region, as the SDKs sign for the region they are configured with even when the
 * keys are dummies; nothing is verified. The credential comes from the SigV4 Authorization header or a presigned URL's
 * X-Amz-Credential, {@code keyId/date/region/service/aws4_request}.
 */
public final class OpenModeAccounts {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern HEADER_CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(?:[^/,\\s]*/([^/,\\s]*))?");
    private static final Pattern QUERY_CREDENTIAL =
            Pattern.compile("(?:^|&)X-Amz-Credential=([^%/&]+)(?:%2F|/)(?:[^%/&]*(?:%2F|/)([^%/&]*))?");

    /** The account a request acts as, and the region its credential scope names (null: none, or not a region). */
    public record Credential(String accountId, String region) {}

    private final String defaultAccountId;
    /** The last region found well-formed: nearly all requests name the same one, which then costs no match. */
    private volatile String knownRegion;

    public OpenModeAccounts(String defaultAccountId) {
        this.defaultAccountId = defaultAccountId;
    }

    public Credential credentialOf(String authorizationHeader, String rawQuery) {
        var matcher = authorizationHeader == null ? null : HEADER_CREDENTIAL.matcher(authorizationHeader);
        if (matcher == null || !matcher.find()) {
            matcher = rawQuery == null ? null : QUERY_CREDENTIAL.matcher(rawQuery);
            if (matcher == null || !matcher.find()) {
                return new Credential(defaultAccountId, null);
            }
        }
        String keyId = matcher.group(1);
        return new Credential(ACCOUNT_ID.matcher(keyId).matches() ? keyId : defaultAccountId, region(matcher.group(2)));
    }

    private String region(String region) {
        if (region == null || region.equals(knownRegion)) {
            return region;
        }
        if (!RegionName.isRegion(region)) {
            return null;
        }
        knownRegion = region;
        return region;
    }
}
