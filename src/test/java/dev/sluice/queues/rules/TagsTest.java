package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.queues.QueueError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TagsTest {

    private static Map<String, String> tags(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toMap(i -> "key" + i, i -> "value"));
    }

    @Test
    void aQueueHasAtMost50Tags() {
        assertThatCode(() -> Tags.validate(tags(50))).doesNotThrowAnyException();
        assertThat(errorOf(() -> Tags.validate(tags(51)))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void keysAre1To128CharactersWithoutTheAwsPrefix() {
        assertThatCode(() -> Tags.validate(Map.of("k".repeat(128), ""))).doesNotThrowAnyException();
        assertThat(errorOf(() -> Tags.validate(Map.of("k".repeat(129), "v"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Tags.validate(Map.of("", "v")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Tags.validate(Map.of("AWS:team", "v")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void valuesAreUpTo256Characters() {
        assertThatCode(() -> Tags.validate(Map.of("k", "v".repeat(256)))).doesNotThrowAnyException();
        assertThat(errorOf(() -> Tags.validate(Map.of("k", "v".repeat(257)))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThat(errorOf(() -> Tags.validate(nullValue))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void keysAndValuesAreLettersDigitsWhiteSpaceAndAFewSigns() {
        assertThatCode(() -> Tags.validate(Map.of("équipe 1_.:/=+-@", "Ünïcode wert 2")))
                .doesNotThrowAnyException();
        assertThat(errorOf(() -> Tags.validate(Map.of("cost#center", "v"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
        assertThat(errorOf(() -> Tags.validate(Map.of("k", "a\u0000b")))).isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void taggingReplacesValuesAndCountsTheTagsTogether() {
        assertThat(Tags.tagged(Map.of("team", "core", "env", "dev"), Map.of("env", "prod")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "core", "env", "prod"));
        assertThat(errorOf(() -> Tags.tagged(tags(50), Map.of("one", "more"))))
                .isEqualTo(QueueError.INVALID_PARAMETER_VALUE);
    }

    @Test
    void untaggingIgnoresKeysTheQueueDoesNotHave() {
        assertThat(Tags.untagged(Map.of("team", "core", "env", "dev"), List.of("env", "missing")))
                .containsExactlyEntriesOf(Map.of("team", "core"));
    }
}
