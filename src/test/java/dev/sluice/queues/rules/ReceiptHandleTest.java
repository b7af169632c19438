package dev.sluice.queues.rules;

import static dev.sluice.queues.rules.RuleAssertions.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.queues.QueueError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptHandleTest {
    private static String encoded(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHandleDecodesToWhatWasEncoded() {
        ReceiptHandle handle = new ReceiptHandle("000000000000/orders#7", "0b1f4b36-9f0e", 12, 1_767_225_600_123L);

        assertThat(ReceiptHandle.decode(handle.encode())).isEqualTo(handle);
        assertThat(ReceiptHandle.decode(encoded("q m 1 2"))).isEqualTo(new ReceiptHandle("q", "m", 1, 2));
    }

    @Test
    void anythingButFourFieldsSeparatedBySingleSpacesIsInvalid() {
        for (String raw : List.of(
                "", "q", "q m", "q m 1", "q m 1 2 3", "q m 1 2 ", "q m  1 2", "q m x 2", "q m 1 y", "q m 1 ", " ")) {
            assertThat(errorOf(() -> ReceiptHandle.decode(encoded(raw))))
                    .as(raw)
                    .isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
        }
        assertThat(errorOf(() -> ReceiptHandle.decode("%%%"))).isEqualTo(QueueError.RECEIPT_HANDLE_INVALID);
    }
}
