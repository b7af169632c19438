package dev.sluice.server;

import dev.sluice.queues.ManualClock;
import dev.sluice.queues.Scheduler;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The engine's time: the clock it reads and the scheduler its timers go to, and, when {@code sluice.clock=manual},
 * the manual clock behind both, which the admin API moves.
 */
public record EngineClock(InstantSource source, Scheduler scheduler, Optional<ManualClock> manual) {}
