package dev.sluice.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Slows down guessing of admin credentials, per client address (an IPv6 client per /64, which one host can fill).
 * Each address has an allowance of {@value #BURST} failed authentications that refills by one every {@link #REFILL}.
 * While it lasts, failures past the first {@value #FREE} are answered only after a pause that grows with each one;
 * once it is used up, the address's requests are refused (429) before their credentials are even looked at, until the
 * allowance refills. Success does not restore it, so a tenant's valid key cannot buy time to guess the admin token.
 * Requests without credentials cost nothing.
 */
final class LoginThrottle {
    static final int BURST = 10;
    static final int FREE = 3;
    static final Duration REFILL = Duration.ofSeconds(6);
    static final Duration PAUSE_STEP = Duration.ofMillis(100);
    /** Addresses remembered at most; beyond it, those that have refilled are forgotten first, then the quietest. */
    static final int MAX_ADDRESSES = 10_000;

    /** An address's failures not yet refilled, as of {@code updatedNanos}. */
    private record Debt(double failures, long updatedNanos) {}

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Map<String, Debt> debts = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    LoginThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    LoginThrottle() {
        this(System::nanoTime);
    }

    /** Zero if the address may try its credentials now; else how long until it may. */
    Duration refusedFor(String address) {
        Debt debt = current(key(address));
        double excess = debt.failures() - (BURST - 1);
        return excess <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(excess * REFILL.toNanos()));
    }

    /** Counts a failure of the address; returns how long to hold its reply. */
    Duration failed(String address) {
        String key = key(address);
        Debt debt = debts.compute(key, (k, old) -> {
            Debt now = refilled(old);
            return new Debt(Math.min(BURST, now.failures() + 1), now.updatedNanos());
        });
        if (debts.size() > MAX_ADDRESSES) {
            forgetSome();
        }
        int counted = (int) Math.ceil(debt.failures());
        return counted <= FREE ? Duration.ZERO : PAUSE_STEP.multipliedBy(counted - FREE);
    }

    /** How many addresses are remembered now. */
    int remembered() {
        return debts.size();
    }

    private Debt current(String key) {
        return refilled(debts.get(key));
    }

    private Debt refilled(Debt debt) {
        long now = nanoTime.getAsLong();
        if (debt == null) {
            return new Debt(0, now);
        }
        double repaid = (double) (now - debt.updatedNanos()) / REFILL.toNanos();
        return new Debt(Math.max(0, debt.failures() - repaid), now);
    }

    private void forgetSome() {
        debts.entrySet().removeIf(entry -> current(entry.getKey()).failures() == 0);
        if (debts.size() > MAX_ADDRESSES) {
            debts.entrySet().stream()
                    .sorted(Comparator.comparingDouble(entry -> entry.getValue().failures()))
                    .limit(debts.size() - MAX_ADDRESSES / 2)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(debts::remove);
        }
    }

    /** The address itself, or for IPv6 its /64 prefix. */
    static String key(String address) {
        if (address == null
                || address.indexOf(':') < 0
                || !IPV6_LITERAL.matcher(address).matches()) {
            return String.valueOf(address);
        }
        try {
            // A literal: no name lookup.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            return bytes.length == 16 ? Arrays.toString(Arrays.copyOf(bytes, 8)) + "/64" : address;
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
