package dev.sluice.queues;

import java.util.Optional;

/**
 * What a peek asks for: at most {@code maxMessages} messages (1 to {@value QueueBrowser#MAX_PAGE}), after the place a
 * previous page's token names, optionally only those in one state.
 */
public record PeekRequest(int maxMessages, Optional<String> afterToken, Optional<PeekedMessage.State> state) {}
