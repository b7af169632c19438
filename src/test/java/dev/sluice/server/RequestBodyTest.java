package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    private final BodyMemory memory = new BodyMemory(1_000_000);

    private static Buffer chunk(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void declaredLengthIsFilledChunkByChunk() {
        RequestBody body = new RequestBody(11, 100, memory);

        assertThat(body.append(chunk("hello "))).isEqualTo(RequestBody.Appended.ADDED);
        assertThat(body.append(chunk("world"))).isEqualTo(RequestBody.Appended.ADDED);

        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    }

    @Test
    void aSmallBodyTakesItsWholeArrayWithItsFirstChunkAndGivesItBackWhenRead() {
        RequestBody body = new RequestBody(11, 100, memory);
        assertThat(memory.held()).isZero();

        body.append(chunk("hello "));
        assertThat(memory.held()).isEqualTo(11);

        body.append(chunk("world"));
        body.bytes();
        assertThat(memory.held()).isZero();
    }

    @Test
    void aLargeDeclaredLengthGrowsOnlyAsBytesArrive() {
        RequestBody body = new RequestBody(8 * 1024 * 1024, 8 * 1024 * 1024, memory);

        body.append(chunk("{\""));

        assertThat(memory.held()).isEqualTo(RequestBody.SMALL);
        body.append(Buffer.buffer(new byte[RequestBody.SMALL]));
        assertThat(memory.held()).isEqualTo(2L * RequestBody.SMALL);
        body.release();
        assertThat(memory.held()).isZero();
    }

    @Test
    void aBodyThatWouldPassTheMemoryCeilingIsRefusedAndTakesNothing() {
        BodyMemory small = new BodyMemory(40_000);
        RequestBody first = new RequestBody(30_000, 100_000, small);
        RequestBody second = new RequestBody(30_000, 100_000, small);

        assertThat(first.append(chunk("x"))).isEqualTo(RequestBody.Appended.ADDED);
        assertThat(second.append(chunk("x"))).isEqualTo(RequestBody.Appended.ADDED);
        assertThat(second.append(Buffer.buffer(new byte[RequestBody.SMALL]))).isEqualTo(RequestBody.Appended.NO_MEMORY);
        assertThat(small.held()).isEqualTo(2L * RequestBody.SMALL);

        first.release();
        second.release();
        second.release();
        assertThat(small.held()).isZero();
    }

    @Test
    void chunkedBodyGrowsPastItsFirstArray() {
        RequestBody body = new RequestBody(-1, 100_000, memory);
        String part = "x".repeat(7_000);

        for (int i = 0; i < 5; i++) {
            assertThat(body.append(chunk(part))).isEqualTo(RequestBody.Appended.ADDED);
        }

        assertThat(body.bytes()).hasSize(35_000).containsOnly((byte) 'x');
        assertThat(memory.held()).isZero();
    }

    @Test
    void bodyPastTheLimitIsRefusedAndWhatCameBeforeKept() {
        RequestBody body = new RequestBody(-1, 10, memory);

        assertThat(body.append(chunk("12345678"))).isEqualTo(RequestBody.Appended.ADDED);
        assertThat(body.append(chunk("abc"))).isEqualTo(RequestBody.Appended.TOO_LARGE);

        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("12345678");
    }

    @Test
    void emptyBody() {
        assertThat(new RequestBody(0, 10, memory).bytes()).isEmpty();
        assertThat(new RequestBody(-1, 10, memory).bytes()).isEmpty();
        assertThat(memory.held()).isZero();
    }
}
