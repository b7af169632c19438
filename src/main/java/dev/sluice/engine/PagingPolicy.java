package dev.sluice.engine;

/**
 * When the engine pages (README, Paged index): above {@code highWaterBytes} of queued messages' state the pager
 * writes ready messages out until the state is below {@code lowWaterBytes}; each queue keeps a window of {@code
 * window} ready messages in memory, and a page holds at most {@code pageSize} messages. Sends are refused at {@code
 * maxIndexBytes} whatever the store ({@link MemoryBudget}).
 */
public record PagingPolicy(long maxIndexBytes, long highWaterBytes, long lowWaterBytes, int pageSize, int window) {
    /** Messages a page holds by default: a page file of about 700 KB, read in well under a tenth of a second. */
    public static final int DEFAULT_PAGE_SIZE = 10_000;

    public PagingPolicy {
        if (pageSize < 1 || window < 2 * pageSize) {
            throw new IllegalArgumentException("a page holds at least one message and the window at least two pages"
                    + " (page size " + pageSize + ", window " + window + ")");
        }
        if (lowWaterBytes > highWaterBytes) {
            throw new IllegalArgumentException(
                    "the low-water mark " + lowWaterBytes + " is above the high-water mark " + highWaterBytes);
        }
    }

    /**
     * The defaults for a budget: paging starts at a quarter of it and stops at three sixteenths, so the heap a paged
     * backlog keeps is small beside the budget, which is left to what cannot be paged (in flight, delayed, windows).
     */
    public static PagingPolicy of(long maxIndexBytes) {
        long high = maxIndexBytes == Long.MAX_VALUE ? Long.MAX_VALUE : maxIndexBytes / 4;
        return new PagingPolicy(maxIndexBytes, high, high / 4 * 3, DEFAULT_PAGE_SIZE, 2 * DEFAULT_PAGE_SIZE);
    }

    /** Never pages: the budget alone. */
    static PagingPolicy none(long maxIndexBytes) {
        return new PagingPolicy(
                maxIndexBytes, Long.MAX_VALUE, Long.MAX_VALUE, DEFAULT_PAGE_SIZE, 2 * DEFAULT_PAGE_SIZE);
    }
}
