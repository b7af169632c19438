package dev.sluice.engine;

import java.util.UUID;

/** Where message and queue ids come from; tests use a counting one so golden outputs are byte-stable. */
public interface IdSource {

    String newId();

    static IdSource random() {
        return () -> UUID.randomUUID().toString();
    }
}
