package dev.sluice.queues.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceNumbersTest {

    @ParameterizedTest
    @ValueSource(
            longs = {0, 1, 9, 10, 1_767_225_600_000_000L, 999_999_999_999_999_999L, Long.MAX_VALUE, -1, Long.MIN_VALUE})
    void aSequenceNumberIsTheSequenceOffsetByTenToTheNineteenth(long sequence) {
        assertThat(SequenceNumbers.format(sequence))
                .isEqualTo(
                        BigInteger.TEN.pow(19).add(BigInteger.valueOf(sequence)).toString());
    }

    @Test
    void sequenceNumbersHaveTwentyDigitsAndKeepTheOrder() {
        String earlier = SequenceNumbers.format(1_767_225_600_000_000L);
        String later = SequenceNumbers.format(1_767_225_600_000_001L);

        assertThat(earlier).hasSize(20).isLessThan(later);
        assertThat(new BigInteger(earlier)).isGreaterThan(BigInteger.valueOf(Long.MAX_VALUE));
    }
}
