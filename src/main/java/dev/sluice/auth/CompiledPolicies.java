package dev.sluice.auth;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Queue policies read once per change, not per request: the compiled form of each {@code Policy} text in use, kept
 * as long as a queue's settings hold that text (weakly keyed by it). A queue's settings keep the same string until the
 * attribute changes, so a lookup is a cached hash and an identity check.
 */
public final class CompiledPolicies {
    private final Map<String, CompiledPolicy> byText = Collections.synchronizedMap(new WeakHashMap<>());

    public CompiledPolicy of(String policy) {
        if (policy == null || policy.isEmpty()) {
            return CompiledPolicy.NONE;
        }
        CompiledPolicy compiled = byText.get(policy);
        if (compiled == null) {
            compiled = CompiledPolicy.ofStored(policy);
            byText.put(policy, compiled);
        }
        return compiled;
    }
}
