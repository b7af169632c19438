package dev.sluice.store;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a store offers when it can page (README, Paged index): the engine decides when and which messages, the store
 * how. A page is durable before its stage completes, and a restart hands the pages back in {@link
 * StoreSnapshot#pages()} without their messages, so a paged backlog costs the engine a descriptor, not its messages.
 * Dropping pages (purge, retention, a deleted queue) is a {@link StoreChange.DropPages} or {@link
 * StoreChange.DeleteQueue} commit.
 */
public interface PageStore {

    /**
     * Moves the given stored messages of one queue (ascending sequence; each visible, with the delivery state it was
     * stored with) out of the store's memory into a page; completes with its descriptor once it is durable. From
     * then on a restart brings them back as that page, not as messages.
     */
    CompletionStage<StoredPage> pageOut(String queueId, List<StoredMessage> messages);

    /**
     * Reads a page's messages back (without bodies, which {@link Store#readBody} reads as before) in sequence order,
     * with their delivery states, and removes the page durably: from then on a restart brings them back as messages.
     * The stage may complete before the removal is durable when every commit made after it completes is durable only
     * with it (a journal's order): a restart before then brings the page back, and nothing done to its messages since.
     */
    CompletionStage<List<StoreSnapshot.Entry>> pageIn(StoredPage page);

    /**
     * Reads a page's messages in sequence order, <em>with</em> their bodies and delivery states, and leaves the page as
     * it is: for the views that must see paged messages without paging them in (the admin API's peek, {@code sluice
     * export}). A page dropped or paged in meanwhile reads as empty. Stores that cannot read a page in place do not
     * support it.
     */
    default List<StoreSnapshot.Entry> read(StoredPage page) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read a page in place");
    }
}
