package dev.sluice.compat.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** What the listeners were handed, per listener, in the order they were handed it; the test reads it back. */
@Component
public class Deliveries {
    private final Map<String, BlockingQueue<String>> byListener = new ConcurrentHashMap<>();

    void record(String listener, String delivery) {
        queue(listener).add(delivery);
    }

    /** The next {@code count} deliveries to {@code listener}, waiting at most {@code timeout} for all of them. */
    public List<String> take(String listener, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> taken = new ArrayList<>();
        while (taken.size() < count) {
            String next = queue(listener).poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            taken.add(next);
        }
        return taken;
    }

    /** Whatever else reached {@code listener} within {@code quiet}. */
    public List<String> more(String listener, Duration quiet) throws InterruptedException {
        return take(listener, Integer.MAX_VALUE, quiet);
    }

    private BlockingQueue<String> queue(String listener) {
        return byListener.computeIfAbsent(listener, name -> new LinkedBlockingQueue<>());
    }
}
