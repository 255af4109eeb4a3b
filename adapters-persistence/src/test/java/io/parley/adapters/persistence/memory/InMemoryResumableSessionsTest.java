package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.ResumableSessions;
import io.parley.testkit.ResumableSessionsContract;

/** The in-memory session records keep the contract. */
class InMemoryResumableSessionsTest extends ResumableSessionsContract {
    @Override
    protected ResumableSessions newSessions() {
        return InMemoryResumableSessions.create();
    }
}
