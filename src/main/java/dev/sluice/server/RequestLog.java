package dev.sluice.server;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The request log ({@code sluice.request-log}): one line per SQS request under the category {@code dev.sluice.request},
 * {@code action=… queue=… status=… duration_ms=… request_id=…}. With JSON log lines
 * ({@code quarkus.log.console.json.enabled=true}) the same fields are also put in the record's MDC for the line, so
 * they come out as JSON fields ({@code "mdc":{"action":"SendMessage","queue":…}}) that a log pipeline can filter on
 * without parsing the message; plain text lines skip that work.
 */
final class RequestLog {
    private static final Logger LOG = Logger.getLogger("dev.sluice.request");

    private final boolean jsonFields = ConfigProvider.getConfig()
            .getOptionalValue("quarkus.log.console.json.enabled", Boolean.class)
            .orElse(false);

    void write(String action, String queue, int status, long startedNanos, String requestId) {
        double durationMs = (System.nanoTime() - startedNanos) / 1e6;
        if (!jsonFields) {
            LOG.infof(
                    "action=%s queue=%s status=%d duration_ms=%.2f request_id=%s",
                    action, queue, status, durationMs, requestId);
            return;
        }
        MDC.put("action", String.valueOf(action));
        MDC.put("queue", String.valueOf(queue));
        MDC.put("status", status);
        MDC.put("duration_ms", Math.round(durationMs * 100) / 100.0);
        MDC.put("request_id", String.valueOf(requestId));
        try {
            LOG.infof(
                    "action=%s queue=%s status=%d duration_ms=%.2f request_id=%s",
                    action, queue, status, durationMs, requestId);
        } finally {
            MDC.remove("action");
            MDC.remove("queue");
            MDC.remove("status");
            MDC.remove("duration_ms");
            MDC.remove("request_id");
        }
    }
}
