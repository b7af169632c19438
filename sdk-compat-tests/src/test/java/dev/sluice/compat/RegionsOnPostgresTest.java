package dev.sluice.compat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** {@link RegionsTest} against the packaged server in its PostgreSQL mode: queues of any region, as the journal has. */
@DisplayName("Regions (AWS SDK for Java v1 and v2), PostgreSQL mode")
class RegionsOnPostgresTest extends RegionsTest {
    /** Hides {@link RegionsTest#startSigV4Server}, so only this server starts. */
    @BeforeAll
    static void startSigV4Server() {
        start(RegionsOnPostgresTest.class.getSimpleName(), OnPostgres.serverJvmArgs("regions"));
    }
}
