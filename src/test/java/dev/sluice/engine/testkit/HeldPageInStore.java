package dev.sluice.engine.testkit;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredPage;
import dev.sluice.store.memory.InMemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The memory store's pages, with each page-in held until the test {@link #land lands} it: it plays out pages on their
 * way in (a file being read, its record being committed) deterministically. Page-outs complete at once.
 */
public final class HeldPageInStore extends ForwardingStore {
    /** A page-in asked of the store and not landed yet. */
    public record PageIn(StoredPage page, CompletableFuture<List<StoreSnapshot.Entry>> done) {}

    private final PageStore pages;
    /** The page-ins asked and not landed, in the order they were asked. */
    private final List<PageIn> inTransit = new ArrayList<>();
    /** Every page-in asked, landed or not. */
    private int asked;

    public HeldPageInStore() {
        this(InMemoryStore.paging());
    }

    private HeldPageInStore(InMemoryStore store) {
        super(store);
        this.pages = store.pages().orElseThrow();
    }

    @Override
    public Optional<PageStore> pages() {
        return Optional.of(new PageStore() {
            @Override
            public CompletionStage<StoredPage> pageOut(String queueId, List<StoredMessage> messages) {
                return pages.pageOut(queueId, messages);
            }

            @Override
            public CompletionStage<List<StoreSnapshot.Entry>> pageIn(StoredPage page) {
                PageIn in = new PageIn(page, new CompletableFuture<>());
                inTransit.add(in);
                asked++;
                return in.done();
            }

            @Override
            public List<StoreSnapshot.Entry> read(StoredPage page) {
                return pages.read(page);
            }
        });
    }

    /** The page-ins on their way, in the order they were asked. */
    public List<PageIn> inTransit() {
        return List.copyOf(inTransit);
    }

    /** How many page-ins were asked so far. */
    public int asked() {
        return asked;
    }

    /** Lands a page-in on its way: the store takes the page in and the engine gets its messages. */
    public void land(PageIn in) {
        inTransit.remove(in);
        pages.pageIn(in.page()).whenComplete((entries, failure) -> {
            if (failure != null) {
                in.done().completeExceptionally(failure);
            } else {
                in.done().complete(entries);
            }
        });
    }

    /** Lands every page-in on its way, in the order they were asked. */
    public void landAll() {
        inTransit().forEach(this::land);
    }
}
