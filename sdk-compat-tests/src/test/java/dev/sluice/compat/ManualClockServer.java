package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A packaged server of a test class's own on the test clock ({@code sluice.clock=manual}, no admin token, so the clock
 * needs none), with an SDK v2 client and the admin API at hand.
 */
final class ManualClockServer implements AutoCloseable {
    final SluiceProcess process;
    final URI endpoint;
    final SqsClient sqs;
    final AdminHttp admin;

    private ManualClockServer(SluiceProcess process) {
        this.process = process;
        this.endpoint = process.endpoint();
        this.sqs = Sdk.v2(endpoint);
        this.admin = new AdminHttp(endpoint);
    }

    /** Starts one for {@code testClass} with these settings besides the manual clock (skipped on an external server). */
    static ManualClockServer start(Class<?> testClass, String... settings) {
        String name = testClass.getSimpleName();
        List<String> jvmArgs = new ArrayList<>(List.of("-Dsluice.clock=manual"));
        jvmArgs.addAll(List.of(settings));
        return new ManualClockServer(SluiceServer.startOwn(name, jvmArgs));
    }

    /** POST /admin/clock/advance; returns the clock's answer. */
    JsonNode advance(String seconds) {
        AdminHttp.Reply reply = admin.withToken(null, "POST", "/admin/clock/advance?seconds=" + seconds, null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Override
    public void close() {
        sqs.close();
        process.close();
    }
}
