package dev.sluice.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a request the fuzz suite saw fail to a folder, byte for byte, with a curl command that sends it again: the
 * body to {@code NAME.body}, the command to {@code NAME.sh}. Replaying through curl needs no Java and no seed, and
 * shows the reply as the server writes it; {@code SLUICE_ENDPOINT} in the environment points it at another server than
 * the one the suite ran against.
 */
final class FailingRequests {
    private final Path folder;
    private final String endpointBase;

    FailingRequests(Path folder, String endpointBase) {
        this.folder = folder;
        this.endpointBase = endpointBase;
    }

    /** Writes the request and returns a line that says where to. */
    String write(String name, HostileRequest request) {
        try {
            Files.createDirectories(folder);
            Path body = folder.resolve(name.replace(':', '-') + ".body");
            Path script = folder.resolve(name.replace(':', '-') + ".sh");
            Files.write(body, request.body());
            Files.writeString(script, String.join(" \\\n    ", curl(request, body)) + "\n");
            return "exact request: sh " + script + " (body in " + body.getFileName() + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * curl as close to the suite's client as it goes: no Content-Type or Expect of curl's own, the headers the case
     * sets (an empty one is not sent, as in the suite), and for a POST the body file as it is.
     */
    private List<String> curl(HostileRequest request, Path body) {
        List<String> command = new ArrayList<>(List.of(
                "curl -sS -i -X " + request.method(),
                "\"${SLUICE_ENDPOINT:-" + endpointBase + "}\"" + quote(request.target()),
                "-H 'Expect:'"));
        if (request.headers().getOrDefault("Content-Type", "").isEmpty()) {
            command.add("-H 'Content-Type:'");
        }
        request.headers().forEach((header, value) -> {
            if (!value.isEmpty()) {
                command.add("-H " + quote(header + ": " + value));
            }
        });
        if (!request.method().equals("GET")) {
            command.add("--data-binary @" + quote(body.toString()));
        }
        return command;
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
