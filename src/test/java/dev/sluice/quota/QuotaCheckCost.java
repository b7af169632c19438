package dev.sluice.quota;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A JMH-free measurement of what admission costs per request on the server's hot path: {@link Quotas#account}, the
 * peek of {@link AccountBuckets#admits} before the body, {@link AccountBuckets#charge} once the signature verified and
 * {@link AccountBuckets#chargeReply} after the reply, over 1,000 tenants with a requests and a bytes quota each, with
 * {@link System#nanoTime()} read as the server reads it. Prints ns per request for each of three runs (after a
 * warm-up) and their median, for one thread and for two threads on disjoint tenants. Run by hand:
 * {@code java -cp target/classes:target/test-classes dev.sluice.quota.QuotaCheckCost [requests]}.
 */
public final class QuotaCheckCost {
    private static volatile Object sink;

    private QuotaCheckCost() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Quota quota = new Quota(
                Optional.of(new Rate(1_000_000_000L, 1_000_000_000L)),
                Optional.of(new Rate(Rate.MAX, Rate.MAX)),
                Map.of());
        Quotas quotas = new Quotas(Quota.NONE, false, account -> Optional.of(quota), (owner, region, name) -> null);
        String[] accounts = new String[1000];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = String.valueOf(100_000_000_000L + i);
            quotas.changed(accounts[i]);
        }
        run(quotas, accounts, 0, n); // warm-up
        double[] single = new double[3];
        for (int r = 0; r < 3; r++) {
            single[r] = run(quotas, accounts, 0, n);
            System.out.printf("run %d, 1 thread: %.1f ns per request%n", r + 1, single[r]);
        }
        double[] two = new double[3];
        for (int r = 0; r < 3; r++) {
            double[] each = new double[2];
            Thread[] threads = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int half = t;
                threads[t] = new Thread(() -> each[half] = run(quotas, accounts, half, n));
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            two[r] = (each[0] + each[1]) / 2;
            System.out.printf("run %d, 2 threads: %.1f ns per request%n", r + 1, two[r]);
        }
        Arrays.sort(single);
        Arrays.sort(two);
        System.out.printf(
                "median: %.1f ns per request (1 thread), %.1f ns (2 threads, disjoint tenants)%n", single[1], two[1]);
    }

    /** Requests over the accounts of one parity (thread {@code half} of two), ns per request. */
    private static double run(Quotas quotas, String[] accounts, int half, int n) {
        long start = System.nanoTime();
        int throttled = 0;
        for (int i = 0; i < n; i++) {
            String account = accounts[(i * 2 + half) % accounts.length];
            long now = System.nanoTime();
            AccountBuckets buckets = quotas.account(account, now);
            if (buckets.admits(1200, now) != null) {
                throttled++;
                continue;
            }
            buckets.charge(1200, System.nanoTime());
            buckets.chargeReply(400, System.nanoTime());
        }
        sink = throttled;
        return (System.nanoTime() - start) / (double) n;
    }
}
