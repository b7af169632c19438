package dev.sluice.compat;

/** The static keys and region every client signs with; Sluice in open mode accepts any well-formed signature. */
final class Credentials {
    static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_ACCESS_KEY = "secret";
    static final String REGION = "us-east-1";

    private Credentials() {}
}
