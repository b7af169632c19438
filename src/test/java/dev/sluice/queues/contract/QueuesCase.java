package dev.sluice.queues.contract;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What every contract class has: the backend it runs on and a fixture on a new backend of that kind, closed after
 * each case with every other fixture the case opened.
 */
abstract class QueuesCase {
    protected final Backend backend;
    protected final QueuesFixture sluice;
    private final List<QueuesFixture> opened = new ArrayList<>();

    QueuesCase(Backend backend) {
        this.backend = backend;
        this.sluice = new QueuesFixture(backend);
        opened.add(sluice);
    }

    /** A fixture on a new backend of the kind, enforcing AWS's 60-second purge and re-create rules. */
    protected QueuesFixture strict() {
        QueuesFixture strict = QueuesFixture.strict(backend);
        opened.add(strict);
        return strict;
    }

    @AfterEach
    void closeBackends() {
        opened.forEach(QueuesFixture::close);
    }
}
