package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.queues.QueueException;
import dev.sluice.queues.QueueInfo;
import dev.sluice.queues.QueueKey;
import dev.sluice.queues.Queues;
import dev.sluice.queues.rules.QueueSettings;
import dev.sluice.queues.rules.RedrivePolicy;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    private final Queues queues;
    private final QueueActions actions;

    QueueResource(Queues queues, QueueActions actions) {
        this.queues = queues;
        this.actions = actions;
    }

    /** One queue in a listing: identity, where to reach it, the approximate counts and its set attributes. */
    public record QueueSummary(
            String accountId,
            String region,
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
    public CompletionStage<QueuePage> list(
            @QueryParam("account") String account,
            @QueryParam("prefix") String prefix,
            @QueryParam("limit") String limit,
            @QueryParam("next") String next,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        int max = Limits.pageSize(limit, "limit", 100, MAX_PAGE);
        return queues.queueKeys(Optional.ofNullable(principal.visibleAccount(account)))
                .thenCompose(keys -> {
                    List<QueueKey> candidates = keys.stream()
                            .filter(key -> (prefix == null || key.name().startsWith(prefix))
                                    && (next == null || pageToken(key).compareTo(next) > 0))
                            .toList();
                    return fill(candidates, 0, new ArrayList<>(Math.min(max, 64)), null, max, context.request());
                });
    }

    /**
     * Adds the summaries of {@code candidates} from {@code from} on to the page until it holds {@code max}, a chunk of
     * queues described at a time; a queue deleted since the keys were read is not listed. The page's next token is
     * the last queue listed while candidates are left.
     */
    private CompletionStage<QueuePage> fill(
            List<QueueKey> candidates,
            int from,
            List<QueueSummary> page,
            String last,
            int max,
            HttpServerRequest request) {
        if (from >= candidates.size()) {
            return CompletableFuture.completedFuture(new QueuePage(page, null));
        }
        if (page.size() == max) {
            return CompletableFuture.completedFuture(new QueuePage(page, last));
        }
        List<QueueKey> chunk = candidates.subList(from, Math.min(candidates.size(), from + max - page.size()));
        List<CompletableFuture<QueueInfo>> described =
                chunk.stream().map(this::describeIfStillThere).toList();
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
                .thenCompose(done -> {
                    String listed = last;
                    for (CompletableFuture<QueueInfo> info : described) {
                        if (info.join() != null) {
                            page.add(summary(info.join(), request));
                            listed = pageToken(info.join().key());
                        }
                    }
                    return fill(candidates, from + chunk.size(), page, listed, max, request);
                });
    }

    /**
     * A queue's place in the listing, which is sorted by account, region and name: {@code account/region/name}, whose
     * order as text is that order (accounts have 12 digits; a region name ends in its digits).
     */
    private static String pageToken(QueueKey key) {
        return key.accountId() + '/' + key.region() + '/' + key.name();
    }

    private CompletableFuture<QueueInfo> describeIfStillThere(QueueKey key) {
        CompletionStage<QueueInfo> described;
        try {
            described = queues.describe(key);
        } catch (QueueException deletedMeanwhile) {
            return CompletableFuture.completedFuture(null);
        }
        return described.toCompletableFuture().exceptionally(failure -> {
            if (QueueException.causeOf(failure) == null) {
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            return null;
        });
    }

    @GET
    @Path("/{accountId}/{queueName}")
    @Operation(summary = "One queue: counts, attributes, tags, redrive policy, dead-letter sources, policy, move tasks")
    public CompletionStage<QueueDetail> detail(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @Context RoutingContext context) {
        Principal principal = AdminGate.principal(context);
        QueueKey key = principal.authorize(actions.key(region, accountId, queueName));
        return queues.describe(key)
                .thenCompose(info -> queues.deadLetterSourceQueues(key)
                        .thenCompose(sources -> (sources.isEmpty()
                                        ? CompletableFuture.<List<MoveTaskResource.MoveTaskView>>completedFuture(null)
                                        : queues.listMessageMoveTasks(key, 10)
                                                .thenApply(tasks -> tasks.stream()
                                                        .map(MoveTaskResource.MoveTaskView::of)
                                                        .toList()))
                                .thenCompose(tasks -> actions.attributes(principal, key, context.request())
                                        .thenApply(attributes -> detail(info, attributes, sources, tasks, context)))));
    }

    private QueueDetail detail(
            QueueInfo info,
            Map<String, String> attributes,
            List<QueueKey> sources,
            List<MoveTaskResource.MoveTaskView> tasks,
            RoutingContext context) {
        RedrivePolicy redrive = info.settings().redrivePolicy();
        return new QueueDetail(
                summary(info, context.request()),
                attributes,
                info.tags(),
                redrive == null
                        ? null
                        : new Redrive(
                                actions.queueArn(redrive.deadLetterTarget().key(), context.request()),
                                redrive.maxReceiveCount()),
                info.settings().values().get(QueueSettings.POLICY),
                sources,
                tasks);
    }

    @POST
    @Path("/{accountId}/{queueName}/purge")
    @Operation(summary = "Delete every message of the queue (PurgeQueue)")
    public CompletionStage<Void> purge(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(actions.key(region, accountId, queueName));
        return queues.purgeQueue(key);
    }

    @DELETE
    @Path("/{accountId}/{queueName}")
    @Operation(summary = "Delete the queue and its messages (DeleteQueue)")
    public CompletionStage<Void> delete(
            @PathParam("accountId") String accountId,
            @PathParam("queueName") String queueName,
            @QueryParam("region") String region,
            @Context RoutingContext context) {
        QueueKey key = AdminGate.principal(context).authorize(actions.key(region, accountId, queueName));
        return queues.deleteQueue(key);
    }

    private QueueSummary summary(QueueInfo info, HttpServerRequest request) {
        return new QueueSummary(
                info.key().accountId(),
                info.key().region(),
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
