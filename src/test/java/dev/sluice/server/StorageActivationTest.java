package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL datasource follows sluice.storage (application.properties maps each storage name to the value of
 * quarkus.datasource.active), so the journal and MapDB modes start no pool; an explicit setting still wins.
 */
class StorageActivationTest {

    private static String datasourceActive(Map<String, String> overrides) throws IOException {
        URL properties = StorageActivationTest.class.getResource("/application.properties");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 100))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .build();
        return config.getValue("quarkus.datasource.active", String.class);
    }

    @Test
    void theDatasourceIsActiveOnlyWithThePostgresStorage() throws IOException {
        assertThat(datasourceActive(Map.of())).as("default: journal").isEqualTo("false");
        assertThat(datasourceActive(Map.of("sluice.storage", "journal"))).isEqualTo("false");
        assertThat(datasourceActive(Map.of("sluice.storage", "mapdb"))).isEqualTo("false");
        assertThat(datasourceActive(Map.of("sluice.storage", "postgres"))).isEqualTo("true");
    }

    @Test
    void anExplicitSettingWins() throws IOException {
        assertThat(datasourceActive(Map.of("sluice.storage", "postgres", "quarkus.datasource.active", "false")))
                .isEqualTo("false");
    }
}
