package io.parley.engine.resumable;

import io.parley.application.port.out.ResumableSession;

/**
 * Subscription versions that are never used twice in a session: made from the revision the record gets
 * in the update that creates them, and their index among the subscriptions that update creates.
 */
final class Versions {
    private static final int PER_UPDATE = 1 << 16;

    private Versions() {
    }

    /**
     * @param current the record an update changes
     * @param index   which of the update's new subscriptions, from 0
     * @return its version
     */
    static long next(ResumableSession current, int index) {
        if (index < 0 || index >= PER_UPDATE) {
            throw new IllegalArgumentException("at most " + PER_UPDATE + " subscriptions per update");
        }
        return (current.revision() + 1) * PER_UPDATE + index;
    }
}
