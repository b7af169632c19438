package dev.sluice.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Caller;
import dev.sluice.api.SqsApi;
import dev.sluice.engine.QueueEngine;
import dev.sluice.queues.ExecutorScheduler;
import dev.sluice.queues.IdSource;
import dev.sluice.queues.rules.Strictness;
import dev.sluice.store.memory.InMemoryStore;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A JMH-free measurement of what the server's own code costs per message on the send and receive paths, without HTTP
 * and without a disk: JSON 1.0 requests as bytes through the endpoint, the api and the engine on the in-memory store
 * (whose commits complete on the calling thread, so all the work is this thread's). Prints, per scenario, the CPU time
 * and the bytes allocated per message of each of three runs and their medians. Both figures hold still under the
 * load of a shared machine far better than bench/run's throughput, which makes this the A/B of a refactoring of those
 * paths. Run by hand: {@code java -cp target/classes:target/test-classes:<test class path>
 * dev.sluice.protocol.SqsEndpointCost [messages]}.
 */
public final class SqsEndpointCost {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE_URL = "http://localhost:9324/000000000000/orders";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final SqsEndpoint endpoint;
    private final Caller caller = new Caller("000000000000", "http://localhost:9324", null, "us-east-1");

    private SqsEndpointCost(SqsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        InstantSource clock = InstantSource.system();
        QueueEngine engine = new QueueEngine(
                new InMemoryStore(),
                clock,
                new ExecutorScheduler(clock, timers),
                IdSource.random(),
                Strictness.LENIENT);
        SqsEndpointCost cost = new SqsEndpointCost(new SqsEndpoint(new SqsApi(engine)));
        cost.call("CreateQueue", "{\"QueueName\":\"orders\"}");
        String body = "m".repeat(1024);
        byte[] send = request("{\"QueueUrl\":\"" + QUEUE_URL + "\",\"MessageBody\":\"" + body + "\"}");
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            entries.append(i == 0 ? "" : ",")
                    .append("{\"Id\":\"e")
                    .append(i)
                    .append("\",\"MessageBody\":\"")
                    .append(body)
                    .append("\"}");
        }
        byte[] batch = request("{\"QueueUrl\":\"" + QUEUE_URL + "\",\"Entries\":[" + entries + "]}");
        byte[] receive = request("{\"QueueUrl\":\"" + QUEUE_URL
                + "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":0,\"VisibilityTimeout\":60}");

        for (String scenario : List.of("send", "batch", "drain")) {
            double[][] runs = new double[4][];
            for (int run = 0; run < 4; run++) {
                runs[run] = switch (scenario) {
                    case "send" -> cost.measure(n, () -> cost.reply("SendMessage", send), 1);
                    case "batch" -> cost.measure(n / 10, () -> cost.reply("SendMessageBatch", batch), 10);
                    default -> {
                        for (int i = 0; i < n / 10; i++) {
                            cost.reply("SendMessageBatch", batch);
                        }
                        yield cost.drain(receive);
                    }
                };
                if (run > 0) {
                    System.out.printf(
                            "%s run %d: %.0f ns CPU/msg, %.0f bytes/msg%n", scenario, run, runs[run][0], runs[run][1]);
                }
            }
            double[] cpu = {runs[1][0], runs[2][0], runs[3][0]};
            double[] bytes = {runs[1][1], runs[2][1], runs[3][1]};
            Arrays.sort(cpu);
            Arrays.sort(bytes);
            System.out.printf("%s median: %.0f ns CPU/msg, %.0f bytes/msg%n", scenario, cpu[1], bytes[1]);
        }
        timers.shutdownNow();
    }

    /** CPU ns and allocated bytes per message of {@code calls} calls of {@code messagesPerCall} messages each. */
    private double[] measure(int calls, Runnable call, int messagesPerCall) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        double messages = (double) calls * messagesPerCall;
        return new double[] {
            (THREADS.getCurrentThreadCpuTime() - cpu) / messages,
            (THREADS.getCurrentThreadAllocatedBytes() - bytes) / messages
        };
    }

    /**
     * Receives 10 at a time and deletes them with one DeleteMessageBatch, until the queue is empty (the messages the
     * send scenarios left, then a fill of the same number before each run).
     */
    private double[] drain(byte[] receive) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long bytes = THREADS.getCurrentThreadAllocatedBytes();
        long messages = 0;
        while (true) {
            JsonNode received = call("ReceiveMessage", receive);
            JsonNode list = received.path("Messages");
            if (list.isEmpty()) {
                break;
            }
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                entries.add("{\"Id\":\"d" + i + "\",\"ReceiptHandle\":\""
                        + list.get(i).get("ReceiptHandle").asText() + "\"}");
            }
            call(
                    "DeleteMessageBatch",
                    "{\"QueueUrl\":\"" + QUEUE_URL + "\",\"Entries\":[" + String.join(",", entries) + "]}");
            messages += list.size();
        }
        return new double[] {
            (THREADS.getCurrentThreadCpuTime() - cpu) / (double) messages,
            (THREADS.getCurrentThreadAllocatedBytes() - bytes) / (double) messages
        };
    }

    private static byte[] request(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode call(String action, String json) {
        return call(action, request(json));
    }

    private JsonNode call(String action, byte[] body) {
        try {
            return JSON.readTree(reply(action, body).body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reply, which is only checked for its status (reading it is the client's cost, not the server's). */
    private HttpReply reply(String action, byte[] body) {
        WireRequest request = new WireRequest(
                "POST",
                "",
                Map.of("x-amz-target", "AmazonSQS." + action, "content-type", "application/x-amz-json-1.0"),
                body);
        HttpReply reply = endpoint.handle(request, caller, "r")
                .toCompletableFuture()
                .join()
                .reply();
        if (reply.status() != 200) {
            throw new IllegalStateException(action + ": " + new String(reply.body(), StandardCharsets.UTF_8));
        }
        return reply;
    }
}
