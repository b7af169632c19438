package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;

/**
 * The console's page at {@code /console}: the HTML shell with the import map of the script libraries inlined, under a
 * Content-Security-Policy that lets scripts come only from this server and the one inline import map by its hash. The
 * libraries are mvnpm jars (Lit and its parts): each serves its files under {@code /_static/} and names them in its
 * own {@code META-INF/importmap.json}, which are merged here. The console's own script and style ({@code
 * /console/app.js}, {@code /console/console.css}) are static resources of the same process; nothing is fetched from
 * elsewhere. The page is built on its first request, so it costs the start nothing.
 */
@ApplicationScoped
public class ConsolePage {
    private static final String TEMPLATE = "console/index.html";
    private static final String IMPORT_MAP = "<!--importmap-->";

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Page(String html, String contentSecurityPolicy) {}

    private volatile Page page;

    private static Page build() {
        String importMap = importMap();
        return new Page(
                template().replace(IMPORT_MAP, "<script type=\"importmap\">" + importMap + "</script>"),
                "default-src 'none'; script-src 'self' 'sha256-" + sha256(importMap)
                        + "'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none';"
                        + " form-action 'none'; frame-ancestors 'none'");
    }

    /** The import maps of every mvnpm jar on the classpath, merged into one. */
    private static String importMap() {
        ObjectNode imports = JSON.createObjectNode();
        try {
            for (URL url :
                    Collections.list(ConsolePage.class.getClassLoader().getResources("META-INF/importmap.json"))) {
                try (InputStream in = url.openStream()) {
                    JsonNode map = JSON.readTree(in).path("imports");
                    map.properties().forEach(entry -> imports.set(entry.getKey(), entry.getValue()));
                }
            }
            ObjectNode importMap = JSON.createObjectNode();
            importMap.set("imports", imports);
            return JSON.writeValueAsString(importMap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(@Observes Router router) {
        router.get("/console").handler(this::page);
        router.get("/console/").handler(this::page);
    }

    private void page(RoutingContext context) {
        Page built = page;
        if (built == null) {
            built = build();
            page = built;
        }
        context.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", built.contentSecurityPolicy())
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store")
                .end(built.html());
    }

    private static String template() {
        try (InputStream in = ConsolePage.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
