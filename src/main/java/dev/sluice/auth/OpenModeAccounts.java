package dev.sluice.auth;

import java.util.regex.Pattern;

/**
 * The {@code open} auth mode: any credentials are accepted, and an access key id of 12 digits selects that account
 * (so a test can act as several accounts without configuring any), anything else the default account. The key id
 * comes from the SigV4 Authorization header or a presigned URL's X-Amz-Credential.
 */
public final class OpenModeAccounts {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern HEADER_CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?:^|&)X-Amz-Credential=([^%/&]+)(?:%2F|/)");

    private final String defaultAccountId;

    public OpenModeAccounts(String defaultAccountId) {
        this.defaultAccountId = defaultAccountId;
    }

    public String accountFor(String authorizationHeader, String rawQuery) {
        String keyId = find(HEADER_CREDENTIAL, authorizationHeader);
        if (keyId == null) {
            keyId = find(QUERY_CREDENTIAL, rawQuery);
        }
        return keyId != null && ACCOUNT_ID.matcher(keyId).matches() ? keyId : defaultAccountId;
    }

    private static String find(Pattern pattern, String text) {
        if (text == null) {
            return null;
        }
        var matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }
}
