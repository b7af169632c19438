package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets read from files through SmallRye Config itself, as the server reads its settings. */
class SecretFilesTest {
    @TempDir
    Path dir;

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withInterceptors(new SecretFiles())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    @Test
    void theAdminTokenComesFromItsFileWithoutTheTrailingNewline() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cr3t-token\n");

        SmallRyeConfig config = config(Map.of("sluice.admin.token-file", token.toString()));

        assertThat(config.getValue("sluice.admin.token", String.class)).isEqualTo("s3cr3t-token");
    }

    @Test
    void tenantsComeFromAFileOneALine() throws Exception {
        Path tenants =
                Files.writeString(dir.resolve("tenants"), "111111111111:AKIDA:secret-a\n222222222222:AKIDB:secret-b\n");

        SmallRyeConfig config = config(Map.of("sluice.tenants-file", tenants.toString()));

        assertThat(config.getValues("sluice.tenants", String.class))
                .isEqualTo(List.of("111111111111:AKIDA:secret-a", "222222222222:AKIDB:secret-b"));
    }

    @Test
    void aValueAndItsFileTogetherAreRefusedAndAMissingFileIsNamedNotRead() {
        SmallRyeConfig both = config(Map.of("sluice.admin.token", "a", "sluice.admin.token-file", "/nowhere"));
        SmallRyeConfig missing =
                config(Map.of("sluice.admin.token-file", dir.resolve("absent").toString()));

        assertThatThrownBy(() -> both.getValue("sluice.admin.token", String.class))
                .hasMessageContaining("set only one");
        assertThatThrownBy(() -> missing.getValue("sluice.admin.token", String.class))
                .hasMessageContaining("cannot read");
    }

    @Test
    void settingsWithoutFilesAreUntouched() {
        SmallRyeConfig config = config(Map.of("sluice.admin.token", "plain", "sluice.region", "eu-west-1"));

        assertThat(config.getValue("sluice.admin.token", String.class)).isEqualTo("plain");
        assertThat(config.getValue("sluice.region", String.class)).isEqualTo("eu-west-1");
    }
}
