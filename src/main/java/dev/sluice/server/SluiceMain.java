package dev.sluice.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;

/**
 * The command line. {@code --version} and {@code --help} answer without starting the server; {@code -Dkey=value}
 * arguments become settings, so {@code docker run sluice -Dsluice.strict=true} works as {@code bin/sluice
 * -Dsluice.strict=true} does; anything else is refused.
 *
 * <p>SIGTERM (docker stop, Kubernetes, systemd) ends the process with status 0 after the graceful shutdown: a stop that
 * was asked for is not a failure, while the JVM's own handler would exit with 143.
 */
@QuarkusMain
public final class SluiceMain {
    private SluiceMain() {}

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("export") || args[0].equals("import"))) {
            System.exit(TransferCommand.run(List.of(args)));
        }
        List<String> passed = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--version", "-version", "-V" -> {
                    System.out.println("sluice " + version());
                    return;
                }
                case "--help", "-help", "-h" -> {
                    help(System.out);
                    return;
                }
                default -> {
                    int equals = arg.indexOf('=');
                    if (!arg.startsWith("-D") || equals < 3) {
                        System.err.println("sluice: unknown argument '" + arg + "' (see --help)");
                        System.exit(2);
                    }
                    System.setProperty(arg.substring(2, equals), arg.substring(equals + 1));
                    passed.add(arg);
                }
            }
        }
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        Quarkus.run(passed.toArray(String[]::new));
    }

    /** The version of the packaged server (from its jar's manifest), or "development build" when run from classes. */
    static String version() {
        String version = SluiceMain.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    private static void help(PrintStream out) {
        out.println("""
                Sluice %s: a message queue that speaks the Amazon SQS API.

                Usage:
                  bin/sluice [JVM options] [-Dkey=value ...]          from a checkout (builds it when needed)
                  java [JVM options] -jar quarkus-run.jar [-Dkey=value ...]
                  docker run -p 9324:9324 -v sluice-data:/data sluice [-Dkey=value ...]
                  ... --version | --help
                  ... export --out FILE [-Dkey=value ...]            queues, messages, tenants to a file
                  ... import --in FILE [--replace] [-Dkey=value ...]  and back (server stopped)

                Settings are -Dkey=value arguments or environment variables (sluice.data-dir is SLUICE_DATA_DIR):
                  quarkus.http.port      9324       port to listen on
                  sluice.data-dir        data       directory of the store (created owner-only)
                  sluice.durability      fsync      fsync | batched | memory
                  sluice.init-file       (none)     YAML file of queues and tenants created at start
                  sluice.auth.mode       open       open (any credentials) | sigv4 (tenants' keys)
                  sluice.tenants         (none)     accountId:accessKeyId:secret,... declared at start
                  sluice.admin.token     (none)     bearer token of the admin API under /admin/
                  quarkus.shutdown.timeout  25s     how long a stop waits for requests in flight
                  quarkus.log.console.json.enabled  false   JSON log lines
                The README lists them all.

                Endpoint: http://localhost:9324 (any AWS SDK or the AWS CLI with --endpoint-url).
                Health: /q/health/live, /q/health/ready, /q/health/started. Metrics: /q/metrics. Build: /q/info.
                """.formatted(version()));
    }
}
