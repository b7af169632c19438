package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IAM wildcards (* and ?) in values and ARNs, and that no pattern makes a check slow. */
class WildcardTest {
    private static final String EIGHTY_AS = "a".repeat(80);

    @Test
    void starMatchesAnyRunAndQuestionMarkOneCharacter() {
        assertThat(Wildcard.of("*", false).matches("")).isTrue();
        assertThat(Wildcard.of("sqs:*", false).matches("sqs:SendMessage")).isTrue();
        assertThat(Wildcard.of("*Message", false).matches("SendMessage")).isTrue();
        assertThat(Wildcard.of("Send*Batch", false).matches("SendMessageBatch")).isTrue();
        assertThat(Wildcard.of("Send*Batch", false).matches("SendMessage")).isFalse();
        assertThat(Wildcard.of("a*b*c", false).matches("abc")).isTrue();
        assertThat(Wildcard.of("a*a", false).matches("a")).isFalse();
        assertThat(Wildcard.of("??", false).matches("ab")).isTrue();
        assertThat(Wildcard.of("??", false).matches("abc")).isFalse();
        assertThat(Wildcard.of("plain", false).matches("plain")).isTrue();
        assertThat(Wildcard.of("plain", false).matches("plainer")).isFalse();
    }

    @Test
    void caseMattersUnlessIgnored() {
        assertThat(Wildcard.of("sqs:send*", false).matches("sqs:SendMessage")).isFalse();
        assertThat(Wildcard.of("SQS:send*", true).matches("sqs:SendMessage")).isTrue();
    }

    @Test
    void matchesAsARegularExpressionWouldOnRandomInputs() {
        Random random = new Random(16_2);
        for (int round = 0; round < 20_000; round++) {
            String pattern = randomText(random, "ab*?", 8);
            String value = randomText(random, "ab", 10);
            String regex = pattern.replace("?", ".").replace("*", ".*");
            assertThat(Wildcard.of(pattern, false).matches(value))
                    .as("%s against %s", pattern, value)
                    .isEqualTo(Pattern.matches(regex, value));
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void sevenWildcardsAgainstAnEightyCharacterNameAnswerAtOnce() {
        // Issue 16: this pattern against this name took 24.5 s per check as a regular expression.
        Wildcard attack = Wildcard.of("arn:aws:sqs:*a*a*a*a*a*a*X", false);
        String arn = "arn:aws:sqs:us-east-1:111111111111:" + EIGHTY_AS;
        for (int i = 0; i < 10_000; i++) {
            assertThat(attack.matches(arn)).isFalse();
        }
        assertThat(Wildcard.of("arn:aws:sqs:*a*a*a*a*a*a*a", false).matches(arn))
                .isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:*a*a*a*a*a*a*X").matches(arn)).isFalse();
        assertThat(ArnPattern.of("arn:aws:sqs:*:*:*a*a*a*a*a*a*a").matches(arn)).isTrue();
    }

    @Test
    void arnWildcardsStayInTheirPartUnlessTheyEndIt() {
        String arn = "arn:aws:sqs:us-east-1:111111111111:orders";

        assertThat(ArnPattern.of(arn).matches(arn)).isTrue();
        assertThat(ArnPattern.of(arn).matches(arn + "-dlq")).isFalse();
        assertThat(ArnPattern.of("*").matches(arn)).isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:*").matches(arn)).isTrue();
        assertThat(ArnPattern.of("arn:aws:*:orders").matches(arn)).isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:*:*:*").matches(arn)).isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:us-*-1:111111111111:ord?rs").matches(arn))
                .isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:*:111111111111:Orders").matches(arn))
                .isFalse();
        // A * inside a part does not reach over a colon, nor does ?.
        assertThat(ArnPattern.of("arn:aws:sqs:*1:orders").matches(arn)).isFalse();
        assertThat(ArnPattern.of("arn:aws:sqs:us-east-1?111111111111:orders").matches(arn))
                .isFalse();
        assertThat(ArnPattern.of("arn:aws:sqs:us-east-1:*").matches(arn)).isTrue();
        assertThat(ArnPattern.of("arn:aws:sqs:us-east-1:222222222222:*").matches(arn))
                .isFalse();
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
