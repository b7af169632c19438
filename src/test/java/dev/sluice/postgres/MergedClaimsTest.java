package dev.sluice.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a merged claim's rows are dealt to its receives ({@link MergedClaims#spread}). */
class MergedClaimsTest {
    @Test
    void rowsGoRoundRobinInClaimOrderAndAFullReceiveIsSkipped() {
        // 1 to the first (then full), 2 and 3 to the others, 4 to the second, 5 to the third, and so on.
        assertThat(MergedClaims.spread(List.of(1, 2, 3, 4, 5, 6, 7), new int[] {1, 10, 3}))
                .containsExactly(List.of(1), List.of(2, 4, 6), List.of(3, 5, 7));
    }

    @Test
    void fewerRowsThanAskedLeaveNoReceiveEmptyWhileAnotherGetsTwo() {
        assertThat(MergedClaims.spread(List.of(1, 2, 3, 4), new int[] {10, 10, 10, 10}))
                .containsExactly(List.of(1), List.of(2), List.of(3), List.of(4));
        assertThat(MergedClaims.spread(List.of(), new int[] {10, 10})).containsExactly(List.of(), List.of());
    }

    @Test
    void everyReceiveGetsItsWholeMaximumWhenTheClaimFillsThemAll() {
        assertThat(MergedClaims.spread(List.of(1, 2, 3, 4, 5, 6), new int[] {2, 1, 3}))
                .containsExactly(List.of(1, 4), List.of(2), List.of(3, 5, 6));
    }

    @Test
    void moreRowsThanAskedIsRefused() {
        assertThatThrownBy(() -> MergedClaims.spread(List.of(1, 2, 3), new int[] {1, 1}))
                .isInstanceOf(IllegalStateException.class);
    }
}
