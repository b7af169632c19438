package dev.sluice.admin;

import dev.sluice.queues.ManualClock;
import dev.sluice.server.EngineClock;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The test clock ({@code sluice.clock=manual}): read it, and move it forward, which runs every timer that comes due
 * (long polls ending, delayed and in-flight messages becoming visible, move tasks ticking) before the reply. Any other
 * clock mode answers 404. Needs the admin token when one is configured, and nothing when none is.
 */
@Path("/admin/clock")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Test clock")
public class ClockResource {
    /** A century: far enough for any retention period, near enough to stay clear of Instant's limits. */
    static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(100L * 366 * 24 * 3600);

    private final EngineClock clock;

    ClockResource(EngineClock clock) {
        this.clock = clock;
    }

    public record ClockView(String mode, Instant now, long epochMillis, int pendingTimers) {
        static ClockView of(ManualClock clock) {
            Instant now = clock.instant();
            return new ClockView("manual", now, now.toEpochMilli(), clock.pendingTasks());
        }
    }

    @GET
    @Operation(summary = "The engine's time on the manual clock")
    public ClockView get(@Context RoutingContext context) {
        return ClockView.of(manual(context));
    }

    @POST
    @Path("/advance")
    @Blocking
    @Operation(summary = "Move the manual clock forward by seconds (up to 3 decimals), running the timers due")
    public ClockView advance(@QueryParam("seconds") String seconds, @Context RoutingContext context) {
        ManualClock manual = manual(context);
        manual.advance(duration(seconds));
        return ClockView.of(manual);
    }

    private ManualClock manual(RoutingContext context) {
        if (!AdminGate.openClock(context)) {
            AdminGate.principal(context).requireAdmin();
        }
        return clock.manual()
                .orElseThrow(() -> new ProblemException(
                        404, "ClockNotManual", "the clock moves by request only with sluice.clock=manual"));
    }

    private static Duration duration(String seconds) {
        BigDecimal value;
        try {
            value = seconds == null ? null : new BigDecimal(seconds.strip());
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null
                || value.signum() < 0
                || value.compareTo(MAX_SECONDS) > 0
                || value.stripTrailingZeros().scale() > 3) {
            throw ProblemException.invalid("seconds must be a number from 0 to " + MAX_SECONDS
                    + " with at most 3 decimals, not '" + seconds + "'");
        }
        return Duration.ofMillis(value.movePointRight(3).longValueExact());
    }
}
