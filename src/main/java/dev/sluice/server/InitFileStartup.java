package dev.sluice.server;

import dev.sluice.auth.Tenants;
import dev.sluice.init.InitFile;
import dev.sluice.init.InitFileException;
import dev.sluice.init.InitFileLoader;
import dev.sluice.init.InitFileReader;
import dev.sluice.queues.Queues;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Applies {@code sluice.init-file} at start, before the port opens (Quarkus opens it after the startup event). A file
 * that cannot be read or applied stops the start with one line naming the file, the line and the problem.
 */
@ApplicationScoped
public class InitFileStartup {
    private static final Logger LOG = Logger.getLogger(InitFileStartup.class);

    private final SluiceConfig config;
    private final Queues queues;
    private final Tenants tenants;

    InitFileStartup(SluiceConfig config, Queues queues, Tenants tenants) {
        this.config = config;
        this.queues = queues;
        this.tenants = tenants;
    }

    void apply(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        if (config.initFile().isEmpty()) {
            return;
        }
        Path file = config.initFile().get();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            InitFile declared = new InitFileReader(config.accountId(), config.region()).read(text);
            InitFileLoader.Outcome outcome =
                    new InitFileLoader(queues, tenants).load(declared, config.initFileDeleteUnlisted());
            LOG.infof(
                    "Init file %s: %d queue(s) created, %d updated, %d deleted; %d tenant(s), %d key(s) declared",
                    file,
                    outcome.queuesCreated(),
                    outcome.queuesUpdated(),
                    outcome.queuesDeleted(),
                    outcome.tenants(),
                    outcome.keys());
        } catch (IOException e) {
            throw new ConfigurationException(
                    "Sluice cannot start: cannot read sluice.init-file " + file.toAbsolutePath() + " (" + e + ")");
        } catch (InitFileException e) {
            throw new ConfigurationException("Sluice cannot start: sluice.init-file " + file + ", " + e.getMessage());
        }
    }
}
