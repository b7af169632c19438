package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClaimStartsTest {
    private static final long QUEUE = 7;
    private final ClaimStarts starts = new ClaimStarts();

    @Test
    void aQueuesFirstClaimStartsFromTheBeginningAndTheNextPastWhatItClaimed() {
        assertThat(starts.from(QUEUE, 1_000)).isEqualTo(ClaimStarts.BEGINNING);

        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_000, rows(5, 9, 7));

        assertThat(starts.from(QUEUE, 1_000)).isEqualTo(10);
        assertThat(starts.from(QUEUE + 1, 1_000)).isEqualTo(ClaimStarts.BEGINNING);
    }

    @Test
    void aClaimThatFoundNothingOrOlderMessagesLeavesTheStart() {
        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_000, rows(20));
        starts.claimed(QUEUE, 21, 1_100, rows());
        starts.claimed(QUEUE, 21, 1_200, rows(3));

        assertThat(starts.from(QUEUE, 1_200)).isEqualTo(21);
    }

    @Test
    void everySecondAClaimStartsFromTheBeginning() {
        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_000, rows(20));
        starts.claimed(QUEUE, 21, 1_500, rows(30));

        assertThat(starts.from(QUEUE, 1_999)).isEqualTo(31);
        assertThat(starts.from(QUEUE, 2_000)).isEqualTo(ClaimStarts.BEGINNING);
    }

    @Test
    void claimsFromTheBeginningGoOnWhileTheyFindMessagesBeforeTheStart() {
        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_000, rows(20));
        starts.claimed(QUEUE, 21, 1_500, rows(30));

        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 2_000, rows(4, 5, 40));
        assertThat(starts.from(QUEUE, 2_001)).isEqualTo(ClaimStarts.BEGINNING);

        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 2_001, rows(41, 42));
        assertThat(starts.from(QUEUE, 2_002)).isEqualTo(43);
        assertThat(starts.from(QUEUE, 3_001)).isEqualTo(ClaimStarts.BEGINNING);
    }

    @Test
    void aRewindMakesTheNextClaimStartFromTheBeginning() {
        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_000, rows(20));
        starts.rewind(QUEUE);

        assertThat(starts.from(QUEUE, 1_001)).isEqualTo(ClaimStarts.BEGINNING);
        starts.claimed(QUEUE, ClaimStarts.BEGINNING, 1_001, rows(25));
        assertThat(starts.from(QUEUE, 1_002)).isEqualTo(26);
    }

    @Test
    void queuesNotClaimedForAMinuteAreForgotten() {
        for (long queue = 1; queue <= 100; queue++) {
            starts.claimed(queue, ClaimStarts.BEGINNING, 1_000, rows(queue * 10));
        }
        for (int i = 0; i < 1_024; i++) {
            long now = 1_000 + ClaimStarts.FORGET_AFTER_MILLIS + i;
            starts.claimed(QUEUE, starts.from(QUEUE, now), now, rows(2_000 + i));
        }

        assertThat(starts.size()).isEqualTo(1);
        assertThat(starts.from(QUEUE, 1_000 + ClaimStarts.FORGET_AFTER_MILLIS + 1_024))
                .isEqualTo(2_000 + 1_024);
    }

    private static List<ClaimedRow> rows(long... seqs) {
        return java.util.Arrays.stream(seqs)
                .mapToObj(
                        seq -> new ClaimedRow(seq, UUID.randomUUID(), 1, 0, 0, null, null, null, null, null, "b", null))
                .toList();
    }
}
