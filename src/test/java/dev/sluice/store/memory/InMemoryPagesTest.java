package dev.sluice.store.memory;

import static dev.sluice.store.StoreContract.message;
import static dev.sluice.store.StoreContract.put;
import static dev.sluice.store.StoreContract.queue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.PageStore;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory store's pages: what a page holds leaves the messages a load returns until it is paged in or dropped. */
class InMemoryPagesTest {
    private final InMemoryStore store = InMemoryStore.paging();
    private final PageStore pages = store.pages().orElseThrow();

    private StoredPage pageOut(String... ids) {
        List<dev.sluice.store.StoredMessage> messages = new java.util.ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            messages.add(message("q", ids[i], 1_000L * (i + 1)));
        }
        return pages.pageOut("q", messages).toCompletableFuture().join();
    }

    private List<String> storedIds() {
        return store.load().messages().stream()
                .map(entry -> entry.message().messageId())
                .toList();
    }

    @Test
    void aPageTakesItsMessagesOutUntilPagedIn() {
        store.commit(List.of(
                new StoreChange.PutQueue(queue("q", "orders")),
                put("q", "a", 1_000),
                put("q", "b", 2_000),
                put("q", "c", 3_000)));
        StoredPage page = pageOut("a", "b");

        assertThat(page)
                .extracting(StoredPage::firstSequence, StoredPage::lastSequence, StoredPage::count)
                .containsExactly(1_000L, 2_000L, 2);
        assertThat(storedIds()).containsExactly("c");
        assertThat(store.load().pages()).containsExactly(page);
        assertThat(pages.read(page))
                .extracting(entry -> entry.message().body())
                .containsExactly("body of a", "body of b");

        List<StoreSnapshot.Entry> back =
                pages.pageIn(page).toCompletableFuture().join();
        assertThat(back).extracting(entry -> entry.message().messageId()).containsExactly("a", "b");
        assertThat(store.load().pages()).isEmpty();
        assertThat(storedIds()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void dropPagesAndDeleteQueueDropPages() {
        store.commit(
                List.of(new StoreChange.PutQueue(queue("q", "orders")), put("q", "a", 1_000), put("q", "b", 2_000)));
        StoredPage first = pageOut("a");
        StoredPage second = pageOut("b");

        store.commit(new StoreChange.DropPages("q", List.of(first.name())));
        assertThat(store.load().pages()).containsExactly(second);
        store.commit(new StoreChange.DeleteQueue("q"));
        assertThat(store.load().pages()).isEmpty();
        assertThat(storedIds()).isEmpty();
    }

    @Test
    void aPlainMemoryStoreDoesNotPage() {
        assertThat(new InMemoryStore().pages()).isEmpty();
    }
}
