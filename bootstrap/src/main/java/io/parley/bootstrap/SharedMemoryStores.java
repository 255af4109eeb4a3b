package io.parley.bootstrap;

import io.parley.adapters.persistence.memory.InMemoryConnectTickets;
import io.parley.adapters.persistence.memory.InMemoryResumableSessions;
import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.application.port.out.ConnectTickets;
import io.parley.application.LocalRevocations;
import io.parley.application.port.out.ResumableSessions;
import io.parley.application.port.out.Revocations;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory stores by name, for {@code parley.store.memory.shared-name}: servers started in one JVM with the
 * same name use one store, so a test can stop a server and start it again without losing its rooms and
 * messages (as with a database). Nothing is ever removed: meant for tests, not for production.
 */
final class SharedMemoryStores {
    private static final Map<String, InMemoryStore> STORES = new ConcurrentHashMap<>();
    private static final Map<String, ResumableSessions> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, ConnectTickets> TICKETS = new ConcurrentHashMap<>();
    private static final Map<String, Revocations> REVOCATIONS = new ConcurrentHashMap<>();

    private SharedMemoryStores() {
    }

    static InMemoryStore named(String name) {
        return STORES.computeIfAbsent(name, n -> InMemoryStore.create());
    }

    /** The SSE/long-poll session records kept with the store of that name. */
    static ResumableSessions sessions(String name) {
        return SESSIONS.computeIfAbsent(name, n -> InMemoryResumableSessions.create());
    }

    /** The connect tickets kept with the store of that name. */
    static ConnectTickets tickets(String name) {
        return TICKETS.computeIfAbsent(name, n -> InMemoryConnectTickets.create());
    }

    /** The revocations kept with the store of that name. */
    static Revocations revocations(String name) {
        return REVOCATIONS.computeIfAbsent(name, n -> LocalRevocations.create());
    }
}
