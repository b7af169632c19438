package dev.sluice.server;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Sluice in the sigv4 auth mode with two declared tenants and the admin API on. */
public class SigV4Profile implements QuarkusTestProfile {
    public static final String ACCOUNT_A = "111111111111";
    public static final String KEY_A = "AKIDTENANTA";
    public static final String SECRET_A = "secret/A+tenant";
    public static final String ACCOUNT_B = "222222222222";
    public static final String KEY_B = "AKIDTENANTB";
    public static final String SECRET_B = "secretB";
    public static final String ADMIN_TOKEN = "admin-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sluice.auth.mode",
                "sigv4",
                "sluice.tenants",
                ACCOUNT_A + ":" + KEY_A + ":" + SECRET_A + "," + ACCOUNT_B + ":" + KEY_B + ":" + SECRET_B,
                "sluice.admin.token",
                ADMIN_TOKEN);
    }
}
