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
}
