package dev.sluice.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code open} auth mode: any credentials are accepted, and an access key id of 12 digits selects that account
 * (so a test can act as several accounts without configuring any), anything else the default account. The region the
 * credential scope names selects the region, as the SDKs sign for the region they are configured with even when the
 * keys are dummies; nothing is verified. The credential comes from the SigV4 Authorization header or a presigned URL's
 * X-Amz-Credential, {@code keyId/date/region/service/aws4_request}.
 */
public final class OpenModeAccounts {
    private static final String CREDENTIAL = "Credential=";
    private static final Pattern HEADER_CREDENTIAL =
            Pattern.compile(CREDENTIAL + "([^/,\\s]+)/(?:[^/,\\s]*/([^/,\\s]*))?");
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
        var matcher = authorizationHeader == null ? null : headerCredential(authorizationHeader);
        if (matcher == null) {
            matcher = rawQuery == null ? null : QUERY_CREDENTIAL.matcher(rawQuery);
            if (matcher == null || !matcher.find()) {
                return new Credential(defaultAccountId, null);
            }
        }
        String keyId = matcher.group(1);
        return new Credential(Tenant.isAccountId(keyId) ? keyId : defaultAccountId, region(matcher.group(2)));
    }

    /**
     * What {@code HEADER_CREDENTIAL.matcher(header).find()} finds, tried only where {@code Credential=} starts (found
     * with {@code indexOf}) rather than at every character of the header, which has the signature after it.
     */
    private static Matcher headerCredential(String header) {
        Matcher matcher = HEADER_CREDENTIAL.matcher(header);
        for (int at = header.indexOf(CREDENTIAL); at >= 0; at = header.indexOf(CREDENTIAL, at + 1)) {
            if (matcher.region(at, header.length()).lookingAt()) {
                return matcher;
            }
        }
        return null;
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
