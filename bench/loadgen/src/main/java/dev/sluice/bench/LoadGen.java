package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;

/** Entry point: runs scenarios against one endpoint (or replicas of one server) and prints its RESULT line (see bench/README.md). */
public final class LoadGen {
    private LoadGen() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        if (!options.endpoints().stream().allMatch(endpoint -> endpoint.startsWith("http://127.0.0.1:"))) {
            System.err.println("loadgen only talks to loopback: --endpoint must start with http://127.0.0.1:");
            System.exit(2);
        }
        int pool = Math.max(64, options.clients() * 2);
        List<SqsPort> ports = new ArrayList<>();
        for (String endpoint : options.endpoints()) {
            ports.add(options.sdk().equals("v1") ? new SdkV1Port(endpoint, pool) : new SdkV2Port(endpoint, pool));
        }
        try (SqsPort port = ports.size() == 1 ? ports.get(0) : new SpreadPort(options.endpoints(), ports)) {
            var scenarios = new Scenarios(port, options);
            if (!options.warmup().isZero()) {
                scenarios.warmUp(options.warmup());
            }
            for (String scenario : options.scenario().split(",")) {
                System.out.println(scenarios.run(scenario).line());
            }
        }
        // Apache/SDK housekeeping threads are daemons, but make the exit explicit for bench/run's timeouts.
        System.exit(0);
    }
}
