package dev.sluice.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.quota.Quota;
import dev.sluice.quota.Rate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's quota as the admin API reads and writes it: {@code requestsPerSecond} (and {@code requestBurst}),
 * {@code bytesPerSecond} (and {@code bytesBurst}) for the account, and {@code queues}: request rates of queues by name.
 * An omitted rate is no limit; an omitted burst is one second's worth.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaView(
        Long requestsPerSecond,
        Long requestBurst,
        Long bytesPerSecond,
        Long bytesBurst,
        Map<String, QueueRate> queues) {

    /** One queue's request rate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueRate(Long requestsPerSecond, Long requestBurst) {}

    static QuotaView of(Quota quota) {
        Map<String, QueueRate> queues = new LinkedHashMap<>();
        quota.queues().forEach((name, rate) -> queues.put(name, new QueueRate(rate.perSecond(), rate.burst())));
        return new QuotaView(
                quota.requests().map(Rate::perSecond).orElse(null),
                quota.requests().map(Rate::burst).orElse(null),
                quota.bytes().map(Rate::perSecond).orElse(null),
                quota.bytes().map(Rate::burst).orElse(null),
                queues.isEmpty() ? null : queues);
    }

    /** The quota this view describes; a 400 for a burst without its rate or a number out of range. */
    Quota toQuota() {
        Map<String, Rate> queueRates = new LinkedHashMap<>();
        if (queues != null) {
            queues.forEach((name, rate) -> {
                if (name == null || name.isEmpty() || name.length() > 80) {
                    throw ProblemException.invalid("queues: a queue name is 1 to 80 characters");
                }
                if (rate == null || rate.requestsPerSecond() == null) {
                    throw ProblemException.invalid("queues." + name + ": requestsPerSecond is required");
                }
                queueRates.put(
                        name,
                        rate("queues." + name, rate.requestsPerSecond(), rate.requestBurst())
                                .get());
            });
        }
        return new Quota(
                rate("requests", requestsPerSecond, requestBurst),
                rate("bytes", bytesPerSecond, bytesBurst),
                queueRates);
    }

    private static Optional<Rate> rate(String what, Long perSecond, Long burst) {
        if (perSecond == null) {
            if (burst != null) {
                throw ProblemException.invalid(what + ": a burst needs its rate per second");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(Rate.of(perSecond, burst));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(what + ": " + e.getMessage());
        }
    }
}
