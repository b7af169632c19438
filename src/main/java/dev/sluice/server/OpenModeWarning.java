package dev.sluice.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Warns at start when the open auth mode (any credentials, every queue to everyone) listens on an address other
 * machines can reach: fine on a laptop or in CI behind 127.0.0.1, a mistake on a shared network.
 */
@ApplicationScoped
public class OpenModeWarning {
    private static final Logger LOG = Logger.getLogger(OpenModeWarning.class);

    private final SluiceConfig config;
    private final String host;

    OpenModeWarning(SluiceConfig config, @ConfigProperty(name = "quarkus.http.host") String host) {
        this.config = config;
        this.host = host;
    }

    void start(@Observes StartupEvent event) {
        if (config.auth().mode() == SluiceConfig.AuthMode.open && !isLoopback(host)) {
            LOG.warnf(
                    "sluice.auth.mode is open and Sluice listens on %s: anyone who can reach this port can read,"
                            + " send to and delete every queue. For a shared service set sluice.auth.mode=sigv4;"
                            + " for local use set quarkus.http.host=127.0.0.1.",
                    host);
        }
    }

    /** Whether the address is loopback only; an unresolvable name counts as reachable. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
