package dev.sluice.admin;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.sluice.api.AwsErrors;
import dev.sluice.api.AwsException;
import dev.sluice.auth.TenantException;
import dev.sluice.queues.IdSource;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of an admin API request as problem details: the admin API's own refusals, tenant errors, SQS errors
 * of the queue operations (with their SQS code; a missing queue is a 404 here), malformed JSON and JAX-RS's own
 * (unknown path, wrong method or media type). Anything else is a 500 whose detail names only an id, logged with it.
 */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Pattern ADVICE = Pattern.compile("\\s*\\((?:but|through reference chain)[^)]*\\)");
    /** Our own request types, which mean nothing to a caller: "the request" instead. */
    private static final Pattern OWN_TYPE = Pattern.compile("\\s*\\(class dev\\.sluice[^)]*\\)|`dev\\.sluice[^`]*`");

    private static final Pattern JAVA_TYPE = Pattern.compile("`(?:java\\.lang\\.)?([A-Za-z.$]+)` value");

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return toProblem(e).response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return toProblem(e).response();
    }

    // Quarkus REST has its own mappers for these two; naming them here makes ours the nearest.
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return toProblem(e).response();
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return toProblem(e).response();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return toProblem(e).response();
    }

    @ServerExceptionMapper
    public Response any(Throwable e) {
        return toProblem(e).response();
    }

    static Problem toProblem(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case ProblemException problem -> Problem.of(problem.status(), problem.code(), problem.getMessage());
            case TenantException tenant -> tenantProblem(tenant);
            case JsonProcessingException json -> Problem.of(400, "InvalidJson", jsonDetail(json));
            case WebApplicationException web
            when web.getCause() instanceof JsonProcessingException json ->
                Problem.of(400, "InvalidJson", jsonDetail(json));
            case WebApplicationException web -> webProblem(web);
            default -> {
                AwsException aws = AwsErrors.translate(e);
                if (aws != null) {
                    yield awsProblem(aws);
                }
                String id = IdSource.randomUuid();
                LOG.errorf(e, "admin request failed (error id %s)", id);
                yield Problem.of(500, "InternalError", "internal error " + id);
            }
        };
    }

    private static Problem tenantProblem(TenantException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> Problem.of(404, "NotFound", e.getMessage());
            case ALREADY_EXISTS -> Problem.of(409, "AlreadyExists", e.getMessage());
            case LIMIT_EXCEEDED -> Problem.of(409, "LimitExceeded", e.getMessage());
            case INVALID -> Problem.of(400, "InvalidParameterValue", e.getMessage());
        };
    }

    /** The SQS error's code and message; a queue or task that does not exist is a 404 (SQS says 400 for a queue). */
    private static Problem awsProblem(AwsException e) {
        String code = e.error().queryCode();
        int status = code.equals(AwsErrors.QUEUE_DOES_NOT_EXIST.queryCode())
                ? 404
                : e.error().httpStatus();
        return Problem.of(status, code, e.getMessage());
    }

    private static Problem webProblem(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String code = type == null ? "Error" : type.getReasonPhrase().replace(" ", "");
        return Problem.of(status, code, status == 404 ? "no such admin resource" : e.getMessage());
    }

    /** Jackson's own words, without the source excerpt and its advice on configuring Jackson, and the field. */
    private static String jsonDetail(JsonProcessingException e) {
        String plain = OWN_TYPE.matcher(ADVICE.matcher(e.getOriginalMessage()).replaceAll(""))
                .replaceAll(match -> match.group().startsWith("`") ? "the request" : "");
        String detail = JAVA_TYPE
                .matcher(plain)
                .replaceAll(match -> Matcher.quoteReplacement(
                        switch (match.group(1)) {
                            case "Integer", "int", "Long", "long" -> "a whole number";
                            case "Boolean", "boolean" -> "true or false";
                            default -> match.group(1);
                        }));
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = field + ": " + detail;
        }
        return "the body is not valid JSON for this request: " + detail;
    }
}
