package dev.sluice.bench;

/** Entry point: runs one scenario against one endpoint and prints its RESULT line (see bench/README.md). */
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
        if (!options.endpoint().startsWith("http://127.0.0.1:")) {
            System.err.println("loadgen only talks to loopback: --endpoint must start with http://127.0.0.1:");
            System.exit(2);
        }
        int pool = Math.max(64, options.clients() * 2);
        try (SqsPort port = options.sdk().equals("v1")
                ? new SdkV1Port(options.endpoint(), pool)
                : new SdkV2Port(options.endpoint(), pool)) {
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
