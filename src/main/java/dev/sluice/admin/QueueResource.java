package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.engine.QueueEngine;
import dev.sluice.engine.QueueException;
import dev.sluice.engine.QueueInfo;
import dev.sluice.engine.QueueKey;
import dev.sluice.engine.QueueSettings;
import dev.sluice.engine.RedrivePolicy;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Queues across tenants: the listing with live counts, one queue in detail, purge and delete. The operator sees every
 * account's queues; a tenant its own.
 */
@Path("/admin/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Queues")
public class QueueResource {
    static final int MAX_PAGE = 1000;

    private final QueueEngine engine;
    private final QueueActions actions;

    QueueResource(QueueEngine engine, QueueActions actions) {
        this.engine = engine;
        this.actions = actions;
    }

    /** One queue in a listing: identity, where to reach it, the approximate counts and its set attributes. */
    public record QueueSummary(
            String accountId,
            String name,
            String url,
            String arn,
            boolean fifo,
            int visible,
            int inFlight,
            int delayed,
            Instant created,
            Instant lastModified,
            Map<String, String> attributes) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueuePage(List<QueueSummary> queues, String next) {}

    /** A dead-letter queue's redrive policy, read from its RedrivePolicy attribute. */
    public record Redrive(String deadLetterTargetArn, int maxReceiveCount) {}

    /** One queue in detail: its summary, every attribute as GetQueueAttributes(All) reports it, and its relations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueDetail(
            QueueSummary queue,
            Map<String, String> attributes,
            Map<String, String> tags,
            Redrive redrivePolicy,
            String policy,
            List<QueueKey> deadLetterSourceQueues,
            List<MoveTaskResource.MoveTaskView> moveTasks) {}

    @GET
    @Operation(summary = "List queues with their counts (paginated; next continues after the last one)")
    public QueuePage list(
            @QueryParam("account") String account,
            @QueryParam("prefix") String prefix,
            @QueryParam("limit") String limit,
            @QueryParam("next") String next,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        int max = Limits.pageSize(limit, "limit", 100, MAX_PAGE);
        List<QueueSummary> page = new ArrayList<>(Math.min(max, 64));
        String last = null;
        for (QueueKey key : engine.queueKeys(Optional.ofNullable(principal.visibleAccount(account)))) {
            String place = key.accountId() + "/" + key.name();
            if ((prefix != null && !key.name().startsWith(prefix)) || (next != null && place.compareTo(next) <= 0)) {
                continue;
            }
            if (page.size() == max) {
                return new QueuePage(page, last);
            }
            try {
                page.add(summary(engine.queue(key), context.request()));
                last = place;
            } catch (QueueException deletedMeanwhile) {
                // Gone since the keys were read: not listed.
            }
        }
        return new QueuePage(page, null);
    }

    @GET
    @Path("/{accountId}/{queueName}")
    @Operation(summary = "One queue: counts, attributes, tags, redrive policy, dead-letter sources, policy, move tasks")
    public CompletionStage<QueueDetail> detail(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        QueueKey key = principal.authorize(new QueueKey(accountId, queueName));
        QueueInfo info = engine.queue(key);
        List<QueueKey> sources = engine.deadLetterSourceQueues(key);
        List<MoveTaskResource.MoveTaskView> tasks = sources.isEmpty()
                ? null
                : engine.listMessageMoveTasks(key, 10).stream()
                        .map(MoveTaskResource.MoveTaskView::of)
                        .toList();
        RedrivePolicy redrive = info.settings().redrivePolicy();
        return actions.attributes(principal, key, context.request())
                .thenApply(attributes -> new QueueDetail(
                        summary(info, context.request()),
                        attributes,
                        info.tags(),
                        redrive == null
                                ? null
                                : new Redrive(
                                        actions.queueArn(
                                                redrive.deadLetterTarget().key(), context.request()),
                                        redrive.maxReceiveCount()),
                        info.settings().values().get(QueueSettings.POLICY),
                        sources,
                        tasks));
    }

    @POST
    @Path("/{accountId}/{queueName}/purge")
    @Operation(summary = "Delete every message of the queue (PurgeQueue)")
    public CompletionStage<Void> purge(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(new QueueKey(accountId, queueName));
        return engine.purgeQueue(key);
    }

    @DELETE
    @Path("/{accountId}/{queueName}")
    @Operation(summary = "Delete the queue and its messages (DeleteQueue)")
    public CompletionStage<Void> delete(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(new QueueKey(accountId, queueName));
        return engine.deleteQueue(key);
    }

    private QueueSummary summary(QueueInfo info, HttpServerRequest request) {
        return new QueueSummary(
                info.key().accountId(),
                info.key().name(),
                actions.queueUrl(info.key(), request),
                actions.queueArn(info.key(), request),
                info.settings().fifo(),
                info.visible(),
                info.inFlight(),
                info.delayed(),
                info.created(),
                info.lastModified(),
                info.settings().values());
    }
}
