package dev.sluice.engine;

import dev.sluice.engine.testkit.StoreRig;

/** Every case of {@link RestartTest} on the journal: bodies read back from disk, compaction moving records, real reopens. */
class RestartOnJournalTest extends RestartTest {
    @Override
    protected StoreRig rig() {
        return StoreRig.journal();
    }
}
