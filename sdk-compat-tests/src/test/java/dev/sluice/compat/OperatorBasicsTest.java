package dev.sluice.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an operator meets before any queue: --version and --help, the health, info and JSON log endpoints of the
 * packaged server, an owner-only data directory, and the one-line refusal when the data directory is taken.
 */
class OperatorBasicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void versionAndHelpAnswerWithoutStartingAServer() {
        Path dataDir = SluiceServer.newDataDir("OperatorBasicsTest-version").resolve("never-created");

        var version = SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, List.of(), List.of("--version"));
        var help = SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, List.of(), List.of("--help"));
        var unknown = SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, List.of(), List.of("--frobnicate"));

        assertThat(version.exitStatus()).isZero();
        assertThat(version.output().strip()).matches("sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(help.exitStatus()).isZero();
        assertThat(help.output()).contains("Usage:", "sluice.data-dir", "sluice.init-file", "--version");
        assertThat(unknown.exitStatus()).isEqualTo(2);
        assertThat(unknown.output().strip()).isEqualTo("sluice: unknown argument '--frobnicate' (see --help)");
        assertThat(dataDir).as("nothing was started").doesNotExist();
    }

    @Test
    void healthInfoOwnerOnlyDataAndJsonRequestLog() throws Exception {
        Path dataDir = SluiceServer.newDataDir("OperatorBasicsTest").resolve("data");
        String version = SluiceProcess.runToEnd(SluiceServer.jar(), dataDir, List.of(), List.of("--version"))
                .output()
                .strip()
                .substring("sluice ".length());
        var server = SluiceProcess.start(
                SluiceServer.jar(),
                dataDir,
                SluiceProcess.freePort(),
                SluiceServer.logFile("OperatorBasicsTest-json"),
                List.of("-Dquarkus.log.console.json.enabled=true"));
        try (var sqs = new SdkV2Port(server.endpoint());
                HttpClient http = HttpClient.newHttpClient()) {
            for (String probe : List.of("live", "ready", "started")) {
                HttpResponse<String> health = get(http, server.endpoint().resolve("/q/health/" + probe));
                assertThat(health.statusCode()).as(probe).isEqualTo(200);
                assertThat(JSON.readTree(health.body()).path("status").asText())
                        .as(probe)
                        .isEqualTo("UP");
            }
            JsonNode info = JSON.readTree(
                    get(http, server.endpoint().resolve("/q/info")).body());
            assertThat(info.path("build").path("version").asText()).isEqualTo(version);

            sqs.createQueue("logged", Map.of(), Map.of());

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                    .isEqualTo("rwx------");
            try (var files = Files.list(dataDir)) {
                assertThat(files.toList())
                        .isNotEmpty()
                        .allSatisfy(
                                file -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                                        .as(file.toString())
                                        .isEqualTo("rw-------"));
            }

            JsonNode requestLine = null;
            List<JsonNode> lines = new ArrayList<>();
            // The request log line is written just after the reply: give it a moment to reach the file.
            for (int attempt = 0; attempt < 50 && requestLine == null; attempt++) {
                Thread.sleep(100);
                lines.clear();
                for (String line : server.logText().lines().skip(1).toList()) {
                    JsonNode node = JSON.readTree(line);
                    lines.add(node);
                    if (node.path("loggerName").asText().equals("dev.sluice.request")) {
                        requestLine = node;
                    }
                }
            }
            assertThat(lines).as("every log line is a JSON object").allMatch(JsonNode::isObject);
            assertThat(lines)
                    .as("the startup line names the version")
                    .anyMatch(node -> node.path("message").asText().startsWith("Sluice " + version + ":"));
            assertThat(requestLine).as("a request log line").isNotNull();
            JsonNode fields = requestLine.path("mdc");
            assertThat(fields.path("action").asText()).isEqualTo("CreateQueue");
            assertThat(fields.path("queue").asText()).isEqualTo("logged");
            assertThat(fields.path("status").asText()).isEqualTo("200");
            assertThat(fields.path("request_id").asText()).hasSize(36);
            assertThat(fields.path("duration_ms").asDouble()).isPositive();
        } finally {
            server.close();
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedInOneLine() {
        var first = SluiceServer.startToKill("OperatorBasicsTest-locked");
        try {
            var second = SluiceProcess.runToEnd(SluiceServer.jar(), first.dataDir(), List.of(), List.of());

            assertThat(second.exitStatus()).isEqualTo(1);
            List<String> errorLines = second.output()
                    .lines()
                    .filter(line -> !line.contains(" INFO "))
                    .toList();
            assertThat(errorLines)
                    .containsExactly("Sluice cannot start: the data directory " + first.dataDir()
                            + " is in use by another Sluice process (it holds journal.lock); stop that one or"
                            + " choose another sluice.data-dir");
        } finally {
            first.close();
        }
    }

    @Test
    void aSettingGivenAfterTheJarTakesEffect() throws IOException {
        Path notADirectory = Files.writeString(
                SluiceServer.newDataDir("OperatorBasicsTest-argument").resolve("file"), "not a directory");

        var refused = SluiceProcess.runToEnd(
                SluiceServer.jar(),
                SluiceServer.newDataDir("OperatorBasicsTest-unused"),
                List.of(),
                List.of("-Dsluice.data-dir=" + notADirectory));

        assertThat(refused.exitStatus()).isEqualTo(1);
        assertThat(refused.output())
                .contains("Sluice cannot start: the data directory " + notADirectory + " is not a directory");
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
