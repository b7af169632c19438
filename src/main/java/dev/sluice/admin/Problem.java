package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/**
 * An error of the admin API as problem details (RFC 9457, {@code application/problem+json}): the status and its
 * reason phrase as title, a human-readable detail, and a {@code code} a program can switch on (for errors of the queue
 * operations, the SQS error code, e.g. {@code AWS.SimpleQueueService.NonExistentQueue}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {
    static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(int status, String code, String detail) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        return new Problem("about:blank", type == null ? "Error" : type.getReasonPhrase(), status, detail, code);
    }

    Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
