package dev.sluice.server;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lets the secret settings come from files, as Docker and Kubernetes mount secrets: {@code sluice.admin.token-file}
 * names a file holding the admin token, {@code sluice.tenants-file} one holding the {@code sluice.tenants} entries
 * (one a line, or separated by commas). A config interceptor, so every reader of {@code sluice.admin.token} and
 * {@code sluice.tenants} sees the file's value without knowing where it came from. Setting both a value and its file
 * is refused: which one wins would be a guess.
 */
public final class SecretFiles implements ConfigSourceInterceptor {
    private static final Map<String, String> FILES = Map.of(
            "sluice.admin.token", "sluice.admin.token-file",
            "sluice.tenants", "sluice.tenants-file");
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        String fileSetting = FILES.get(name);
        if (fileSetting == null) {
            return value;
        }
        ConfigValue file = context.proceed(fileSetting);
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return value;
        }
        if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
            throw new IllegalArgumentException(name + " and " + fileSetting + " are both set: set only one");
        }
        String content = read(Path.of(file.getValue().strip()), fileSetting);
        if (name.equals("sluice.tenants")) {
            content = LINE_BREAKS.matcher(content).replaceAll(",");
        }
        return file.withName(name).withValue(content);
    }

    private static String read(Path path, String setting) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            // The message names the file, never its content.
            throw new UncheckedIOException(setting + ": cannot read " + path, e);
        }
    }
}
