package dev.sluice.store.memory;

import dev.sluice.store.PageStore;
import dev.sluice.store.Store;
import dev.sluice.store.StoreChange;
import dev.sluice.store.StoreSnapshot;
import dev.sluice.store.StoredAccessKey;
import dev.sluice.store.StoredDeduplication;
import dev.sluice.store.StoredDelivery;
import dev.sluice.store.StoredMessage;
import dev.sluice.store.StoredMoveTask;
import dev.sluice.store.StoredPage;
import dev.sluice.store.StoredQueue;
import dev.sluice.store.StoredTenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps everything in maps, nothing on disk: for engine tests and {@code sluice.durability=memory}. It still holds what
 * was committed, so a test can build a second engine on the same store to see what a restart would load. One made by
 * {@link #paging()} pages too ({@link Pages}): a page is a list of entries taken out of the message maps, so the
 * engine's paging is tested without a disk, and a restart on the same store brings the pages back as pages. Paged
 * messages stay in the heap then, outside the engine's memory budget, which is why a plain one does not page.
 */
public final class InMemoryStore implements Store {
    private final Map<String, StoredQueue> queues = new LinkedHashMap<>();
    private final Map<String, Map<String, StoredMessage>> messages = new HashMap<>();
    private final Map<String, Map<String, StoredDelivery>> deliveries = new HashMap<>();
    private final Map<String, Map<String, StoredDeduplication>> deduplications = new HashMap<>();
    private final Map<String, StoredMoveTask> moveTasks = new LinkedHashMap<>();
    private final Map<String, StoredTenant> tenants = new LinkedHashMap<>();
    private final Map<String, StoredAccessKey> accessKeys = new LinkedHashMap<>();
    /** Pages by name, each with the entries it took out of {@code messages} and {@code deliveries}. */
    private final Map<String, Paged> pages = new LinkedHashMap<>();

    private final Optional<PageStore> pageStore;
    private long pagesWritten;

    /** A store that does not page. */
    public InMemoryStore() {
        this(false);
    }

    private InMemoryStore(boolean paging) {
        this.pageStore = paging ? Optional.of(new Pages()) : Optional.empty();
    }

    /** A store that pages into its own maps (tests of paging without a disk; {@code sluice.memory.page-in-memory}). */
    public static InMemoryStore paging() {
        return new InMemoryStore(true);
    }

    private record Paged(StoredPage page, List<StoreSnapshot.Entry> entries) {}

    @Override
    public synchronized StoreSnapshot load() {
        List<StoreSnapshot.Entry> entries = new ArrayList<>();
        messages.forEach((queueId, byId) -> byId.forEach((messageId, message) -> entries.add(
                new StoreSnapshot.Entry(message, deliveries.get(queueId).get(messageId)))));
        List<StoredDeduplication> dedups = new ArrayList<>();
        deduplications.values().forEach(byKey -> dedups.addAll(byKey.values()));
        return new StoreSnapshot(
                List.copyOf(queues.values()),
                entries,
                dedups,
                List.copyOf(moveTasks.values()),
                List.copyOf(tenants.values()),
                List.copyOf(accessKeys.values()),
                pages.values().stream().map(Paged::page).toList());
    }

    @Override
    public Optional<PageStore> pages() {
        return pageStore;
    }

    /** The memory store's pages: what a page holds leaves the message maps until it is paged in. */
    private final class Pages implements PageStore {
        @Override
        public CompletionStage<StoredPage> pageOut(String queueId, List<StoredMessage> paged) {
            synchronized (InMemoryStore.this) {
                Map<String, StoredMessage> byId = messages.getOrDefault(queueId, Map.of());
                Map<String, StoredDelivery> states = deliveries.getOrDefault(queueId, Map.of());
                List<StoreSnapshot.Entry> entries = new ArrayList<>(paged.size());
                long oldest = Long.MAX_VALUE;
                long newest = Long.MIN_VALUE;
                for (StoredMessage message : paged) {
                    StoredMessage stored = byId.remove(message.messageId());
                    StoredDelivery delivery = states.remove(message.messageId());
                    if (stored != null) {
                        entries.add(new StoreSnapshot.Entry(stored, delivery));
                    }
                    oldest = Math.min(oldest, message.enqueuedMillis());
                    newest = Math.max(newest, message.enqueuedMillis());
                }
                StoredPage page = new StoredPage(
                        queueId,
                        "page-" + ++pagesWritten,
                        paged.getFirst().sequence(),
                        paged.getLast().sequence(),
                        paged.size(),
                        oldest,
                        newest);
                pages.put(page.name(), new Paged(page, entries));
                return CompletableFuture.completedFuture(page);
            }
        }

        @Override
        public CompletionStage<List<StoreSnapshot.Entry>> pageIn(StoredPage page) {
            synchronized (InMemoryStore.this) {
                Paged paged = pages.remove(page.name());
                if (paged == null) {
                    return CompletableFuture.failedFuture(
                            new IllegalStateException("no page " + page.name() + " in the memory store"));
                }
                if (queues.containsKey(page.queueId())) {
                    for (StoreSnapshot.Entry entry : paged.entries()) {
                        messages.computeIfAbsent(page.queueId(), q -> new LinkedHashMap<>())
                                .put(entry.message().messageId(), entry.message());
                        deliveries
                                .computeIfAbsent(page.queueId(), q -> new HashMap<>())
                                .put(entry.message().messageId(), entry.delivery());
                    }
                }
                return CompletableFuture.completedFuture(paged.entries());
            }
        }

        @Override
        public List<StoreSnapshot.Entry> read(StoredPage page) {
            synchronized (InMemoryStore.this) {
                Paged paged = pages.get(page.name());
                return paged == null ? List.of() : List.copyOf(paged.entries());
            }
        }
    }

    @Override
    public synchronized CompletionStage<Void> commit(List<StoreChange> changes) {
        for (StoreChange change : changes) {
            switch (change) {
                case StoreChange.PutQueue put -> queues.put(put.queue().queueId(), put.queue());
                case StoreChange.DeleteQueue delete -> {
                    queues.remove(delete.queueId());
                    messages.remove(delete.queueId());
                    deliveries.remove(delete.queueId());
                    deduplications.remove(delete.queueId());
                    pages.values().removeIf(paged -> paged.page().queueId().equals(delete.queueId()));
                }
                case StoreChange.PutDeduplication put ->
                    deduplications
                            .computeIfAbsent(put.deduplication().queueId(), q -> new HashMap<>())
                            .put(put.deduplication().key(), put.deduplication());
                case StoreChange.DeleteDeduplications delete -> {
                    Map<String, StoredDeduplication> byKey = deduplications.get(delete.queueId());
                    if (byKey != null) {
                        delete.keys().forEach(byKey::remove);
                    }
                }
                case StoreChange.PutMoveTask put -> moveTasks.put(put.task().taskHandle(), put.task());
                case StoreChange.PutMessage put -> {
                    String queueId = put.message().queueId();
                    messages.computeIfAbsent(queueId, q -> new LinkedHashMap<>())
                            .put(put.message().messageId(), put.message());
                    deliveries
                            .computeIfAbsent(queueId, q -> new HashMap<>())
                            .put(put.message().messageId(), put.delivery());
                }
                case StoreChange.PutDelivery put -> {
                    Map<String, StoredDelivery> byId =
                            deliveries.get(put.delivery().queueId());
                    if (byId != null && byId.containsKey(put.delivery().messageId())) {
                        byId.put(put.delivery().messageId(), put.delivery());
                    }
                }
                case StoreChange.PutTenant put -> tenants.put(put.tenant().accountId(), put.tenant());
                case StoreChange.DeleteTenant delete -> tenants.remove(delete.accountId());
                case StoreChange.DropPages drop -> drop.pageNames().forEach(pages::remove);
                case StoreChange.PutAccessKey put -> accessKeys.put(put.key().accessKeyId(), put.key());
                case StoreChange.DeleteAccessKey delete -> accessKeys.remove(delete.accessKeyId());
                case StoreChange.DeleteMessages delete -> {
                    Map<String, StoredMessage> byId = messages.get(delete.queueId());
                    Map<String, StoredDelivery> states = deliveries.get(delete.queueId());
                    if (byId != null) {
                        delete.messageIds().forEach(byId::remove);
                        delete.messageIds().forEach(states::remove);
                    }
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
}
