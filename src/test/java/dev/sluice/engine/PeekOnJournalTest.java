package dev.sluice.engine;

import dev.sluice.engine.testkit.StoreRig;

/** Every case of {@link PeekTest} on the journal, where committed messages keep no body in memory. */
class PeekOnJournalTest extends PeekTest {
    @Override
    protected StoreRig rig() {
        return StoreRig.journal();
    }
}
