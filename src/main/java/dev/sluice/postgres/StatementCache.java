package dev.sluice.postgres;

/**
 * How the pools' connections cache prepared statements: every statement is prepared once per connection and its plan
 * kept (README, *Plans*). Vert.x caches only statements of up to 2,048 characters by default and prepares a longer
 * one again on every run (a second round trip, and a new plan each time); {@link ClaimStatements#FAIR} is longer.
 */
public final class StatementCache {
    /** The longest SQL text a connection caches; every statement of this package is shorter. */
    public static final int SQL_LIMIT = 8_192;

    private StatementCache() {}
}
