package dev.sluice.postgres;

import static dev.sluice.postgres.PostgresFixture.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.postgres.testkit.PostgresCluster;
import dev.sluice.postgres.testkit.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DatabaseClock tells the database's time: read between two reads of {@code clock_timestamp()}, it falls between them,
 * give or take its stated uncertainty (half the round trip of its anchoring read) and a millisecond of rounding.
 */
@ExtendWith(PostgresExtension.class)
class DatabaseClockTest {
    private static PostgresFixture db;

    @BeforeAll
    static void setUp(PostgresCluster cluster) {
        db = new PostgresFixture(cluster, "clock");
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    private static Instant databaseNow() {
        long micros = join(db.pool.query(DatabaseClock.READ).execute())
                .iterator()
                .next()
                .getLong(0);
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }

    @Test
    void itReadsBetweenTwoReadsOfTheDatabaseClock() {
        DatabaseClock clock = join(DatabaseClock.start(db.pool, Duration.ofMinutes(1)));
        Duration slack = clock.uncertainty().plusMillis(1);

        for (int i = 0; i < 5; i++) {
            Instant before = databaseNow();
            Instant read = clock.instant();
            Instant after = databaseNow();

            assertThat(read).isBetween(before.minus(slack), after.plus(slack));
        }
    }

    @Test
    void itKeepsGoingForwardBetweenReadsOfTheDatabase() {
        DatabaseClock clock = join(DatabaseClock.start(db.pool, Duration.ofMinutes(1)));
        Instant first = clock.instant();
        Instant later = databaseNow();

        assertThat(clock.instant()).isAfterOrEqualTo(first);
        assertThat(clock.instant())
                .isAfterOrEqualTo(later.minus(clock.uncertainty().plusMillis(1)));
    }

    @Test
    void itFollowsTheDatabaseNotTheReplicasWallClock() {
        String anHourAhead = "select ((extract(epoch from clock_timestamp()) + 3600) * 1000000)::bigint";
        DatabaseClock clock = join(DatabaseClock.start(db.pool, anHourAhead, Duration.ofMinutes(1)));
        Duration slack = clock.uncertainty().plusMillis(1);

        Instant before = databaseNow().plusSeconds(3600);
        Instant read = clock.instant();
        Instant after = databaseNow().plusSeconds(3600);

        assertThat(read).isBetween(before.minus(slack), after.plus(slack));
    }
}
