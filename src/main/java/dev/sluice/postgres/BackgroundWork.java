package dev.sluice.postgres;

import java.time.InstantSource;
import org.jboss.logging.Logger;

/**
 * What the holder of the {@link BackgroundLease} does: it runs the message move tasks ({@link MoveTaskRunner}: all
 * running ones when it takes the lease, then those other replicas start) and, every {@link #SWEEP_EVERY} periods, a
 * {@link Sweeper} round.
 */
final class BackgroundWork implements BackgroundLease.Work {
    private static final Logger LOG = Logger.getLogger(BackgroundWork.class);
    /** Lease periods between two sweeps (with the 2-second period: every 10 seconds). */
    static final int SWEEP_EVERY = 5;

    private final MoveTaskRunner moveTasks;
    private final Sweeper sweeper;
    private final InstantSource clock;
    private int periods;

    BackgroundWork(MoveTaskRunner moveTasks, Sweeper sweeper, InstantSource clock) {
        this.moveTasks = moveTasks;
        this.sweeper = sweeper;
        this.clock = clock;
    }

    @Override
    public void onAcquired() {
        moveTasks.resumeAll();
    }

    @Override
    public void onPeriod() {
        moveTasks.takeUpNew();
        if (++periods % SWEEP_EVERY == 0) {
            sweep();
        }
    }

    @Override
    public void onLost() {
        moveTasks.stopAll();
    }

    private void sweep() {
        sweeper.sweep(clock.millis())
                .onSuccess(deleted -> {
                    if (deleted > 0) {
                        LOG.debugf("Swept %d rows", deleted);
                    }
                })
                .onFailure(e -> LOG.warnf("Sweep failed (again next round): %s", e.getMessage()));
    }
}
