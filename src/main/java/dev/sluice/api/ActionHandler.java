package dev.sluice.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One SQS action: decodes its request record from the shared member tree, runs it, and returns its result as a tree of
 * AWS member names (maps, lists, strings, numbers, booleans, bytes) that either protocol encodes.
 */
public interface ActionHandler<R> {

    R decode(Params params);

    CompletionStage<Map<String, Object>> handle(Caller caller, R request);

    /**
     * Called when {@code result}, which this action produced, could not be sent to the caller (its encoding failed):
     * undoes whatever the result hands out that is lost with it. Nothing, for most actions.
     */
    default void undelivered(Caller caller, Params params, Map<String, Object> result) {}
}
