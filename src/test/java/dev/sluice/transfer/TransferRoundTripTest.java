package dev.sluice.transfer;

import static dev.sluice.queues.contract.QueuesFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.auth.Tenants;
import dev.sluice.engine.StoreArchive;
import dev.sluice.engine.testkit.StoreRig;
import dev.sluice.queues.NewMessage;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.ReceivedMessage;
import dev.sluice.queues.contract.Backends;
import dev.sluice.queues.contract.QueuesFixture;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The export file between two embedded engines in this JVM, on the fake clock: what an import restores (ids, bodies,
 * attributes, receive counts, FIFO sequence numbers and deduplication, the in-flight message visible again), what it
 * refuses before writing anything (a non-empty target without --replace, a file whose end record does not match, a
 * message out of send order) and what --replace does. The same through real servers, the SDK and PostgreSQL is
 * sdk-compat-tests' BackendTransferTest.
 */
class TransferRoundTripTest {
    private static final String REGION = "us-east-1";

    private final StoreRig sourceRig = StoreRig.inMemory();
    private final QueuesFixture source = new QueuesFixture(Backends.embedded(sourceRig));

    @Test
    void anImportRestoresWhatTheExportRead() throws IOException {
        QueueKey jobs = source.createQueue("jobs", Map.of("VisibilityTimeout", "45"));
        QueueKey events = source.createQueue("events.fifo", Map.of("FifoQueue", "true"));
        String first = source.send(jobs, "first");
        String second = source.send(
                        jobs, QueuesFixture.message("second", Map.of("colour", QueuesFixture.string("blue"))))
                .messageId();
        ReceivedMessage inFlight =
                source.receive(jobs, 1, Duration.ofMinutes(10)).getFirst();
        assertThat(inFlight.messageId()).isEqualTo(first);
        String fifoSequence = source.send(events, fifo("e1", "g", "d1")).sequenceNumber();
        Tenants sourceTenants = new Tenants(sourceRig.store(), source.clock);
        join(sourceTenants.declare("111111111111", "AKIDROUNDTRIP", "secret"));

        String file = export(sourceTenants);
        assertThat(file.lines().count()).as(file).isEqualTo(1 + 2 + 2 + 3 + 1 + 1);

        StoreRig targetRig = StoreRig.inMemory();
        Counts counts = importInto(targetRig, file, false);
        assertThat(counts).isEqualTo(new Counts(1, 1, 2, 3, 1));
        QueuesFixture target = new QueuesFixture(Backends.embedded(targetRig));
        target.clock.advance(Duration.between(target.clock.instant(), source.clock.instant()));

        assertThat(target.info(jobs).settings().visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(target.info(jobs).created()).isEqualTo(source.info(jobs).created());
        List<ReceivedMessage> received = new ArrayList<>(target.receive(jobs, 10));
        received.sort(Comparator.comparing(ReceivedMessage::messageId));
        assertThat(received).extracting(ReceivedMessage::messageId).containsExactlyInAnyOrder(first, second);
        ReceivedMessage again = received.stream()
                .filter(m -> m.messageId().equals(first))
                .findFirst()
                .orElseThrow();
        assertThat(again.receiveCount())
                .as("received before the export, and now")
                .isEqualTo(2);
        assertThat(again.firstReceiveTimestamp()).isEqualTo(inFlight.firstReceiveTimestamp());
        assertThat(again.sentTimestamp()).isEqualTo(inFlight.sentTimestamp());
        ReceivedMessage withAttributes = received.stream()
                .filter(m -> m.messageId().equals(second))
                .findFirst()
                .orElseThrow();
        assertThat(withAttributes.messageAttributes()).containsEntry("colour", QueuesFixture.string("blue"));
        assertThat(withAttributes.md5OfMessageAttributes()).isNotNull();

        var duplicate = target.send(events, fifo("resent", "g", "d1"));
        assertThat(duplicate.sequenceNumber()).isEqualTo(fifoSequence);
        assertThat(target.receive(events, 10))
                .extracting(ReceivedMessage::body, ReceivedMessage::sequenceNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e1", fifoSequence));
        assertThat(new Tenants(targetRig.store(), target.clock).find("AKIDROUNDTRIP"))
                .hasValueSatisfying(key -> assertThat(key.secret()).isEqualTo("secret"));
    }

    @Test
    void aNonEmptyTargetIsRefusedUnlessReplaced() throws IOException {
        QueueKey jobs = source.createQueue("jobs");
        source.send(jobs, "only");
        String file = export(new Tenants(sourceRig.store(), source.clock));
        StoreRig targetRig = StoreRig.inMemory();
        importInto(targetRig, file, false);

        assertThatThrownBy(() -> importInto(targetRig, file, false))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith("the target already holds queues or tenants");
        importInto(targetRig, file, true);

        QueuesFixture target = new QueuesFixture(Backends.embedded(targetRig));
        assertThat(target.receive(jobs, 10))
                .as("replaced, not added twice")
                .extracting(ReceivedMessage::body)
                .containsExactly("only");
    }

    @Test
    void aBadFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        QueueKey jobs = source.createQueue("jobs");
        source.send(jobs, "one");
        source.send(jobs, "two");
        List<String> lines =
                export(new Tenants(sourceRig.store(), source.clock)).lines().toList();

        List<String> missing = new ArrayList<>(lines);
        missing.remove(2);
        assertRefused(String.join("\n", missing), "line 4: the end record counts 1 queues and 2 messages");

        List<String> swapped = new ArrayList<>(lines);
        swapped.set(2, lines.get(3));
        swapped.set(3, lines.get(2));
        assertRefused(String.join("\n", swapped), "line 4: message ");

        assertRefused(lines.get(0).replace("\"version\":1", "\"version\":9"), "line 1: export format version 9");
        assertRefused(lines.get(0) + "\n" + lines.get(1).replace("\"jobs\"", "\"no spaces allowed\""), "line 2: ");
    }

    private void assertRefused(String file, String reason) {
        StoreRig targetRig = StoreRig.inMemory();
        assertThatThrownBy(() -> importInto(targetRig, file, false))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining(reason)
                .message()
                .doesNotContain("\n");
        assertThat(targetRig.store().load().queues()).isEmpty();
    }

    private String export(Tenants tenants) throws IOException {
        StringWriter out = new StringWriter();
        new Exporter().export(new StoreArchive(sourceRig.store(), REGION), tenants, REGION, source.clock.millis(), out);
        return out.toString();
    }

    private Counts importInto(StoreRig rig, String file, boolean replace) throws IOException {
        return new Importer()
                .importFile(
                        () -> new StringReader(file),
                        new StoreArchive(rig.store(), REGION),
                        new Tenants(rig.store(), source.clock),
                        replace,
                        source.clock.millis());
    }

    private static NewMessage fifo(String body, String group, String dedup) {
        return new NewMessage(body, Map.of(), Map.of(), Optional.empty(), null, group, dedup);
    }
}
