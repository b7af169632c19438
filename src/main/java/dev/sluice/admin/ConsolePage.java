package dev.sluice.admin;

import io.mvnpm.importmap.Aggregator;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The console's page at {@code /console}: the HTML shell with the import map of the script libraries inlined (Lit,
 * from its mvnpm jar), under a Content-Security-Policy that lets scripts come only from this server and the one
 * inline import map by its hash. The console's own script and style ({@code /console/app.js}, {@code
 * /console/console.css}) and the libraries ({@code /_static/…}) are static resources of the same process; nothing
 * is fetched from elsewhere.
 */
@ApplicationScoped
public class ConsolePage {
    private static final String TEMPLATE = "console/index.html";
    private static final String IMPORT_MAP = "<!--importmap-->";

    private final String html;
    private final String contentSecurityPolicy;

    ConsolePage() {
        String importMap = new Aggregator().aggregateAsJson();
        this.html = template().replace(IMPORT_MAP, "<script type=\"importmap\">" + importMap + "</script>");
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self' 'sha256-" + sha256(importMap)
                + "'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
                + " frame-ancestors 'none'";
    }

    void routes(@Observes Router router) {
        router.get("/console").handler(this::page);
        router.get("/console/").handler(this::page);
    }

    private void page(RoutingContext context) {
        context.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store")
                .end(html);
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
