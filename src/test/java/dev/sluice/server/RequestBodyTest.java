package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    private static Buffer chunk(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void declaredLengthIsFilledChunkByChunk() {
        RequestBody body = new RequestBody(11, 100);

        assertThat(body.append(chunk("hello "))).isTrue();
        assertThat(body.append(chunk("world"))).isTrue();

        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void chunkedBodyGrowsPastItsFirstArray() {
        RequestBody body = new RequestBody(-1, 10_000);
        String part = "x".repeat(700);

        for (int i = 0; i < 5; i++) {
            assertThat(body.append(chunk(part))).isTrue();
        }

        assertThat(body.bytes()).hasSize(3_500).containsOnly((byte) 'x');
    }

    @Test
    void bodyPastTheLimitIsRefusedAndWhatCameBeforeKept() {
        RequestBody body = new RequestBody(-1, 10);

        assertThat(body.append(chunk("12345678"))).isTrue();
        assertThat(body.append(chunk("abc"))).isFalse();

        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("12345678");
    }

    @Test
    void emptyBody() {
        assertThat(new RequestBody(0, 10).bytes()).isEmpty();
        assertThat(new RequestBody(-1, 10).bytes()).isEmpty();
    }
}
