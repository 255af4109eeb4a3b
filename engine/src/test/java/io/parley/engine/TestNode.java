package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.out.ChatHooks;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.application.port.out.TokenVerifier;
import io.parley.domain.User;

import java.time.Duration;
import java.time.Instant;

/**
 * One node without a transport: a {@link ChatCore} over the in-memory adapters (or the ports a test gives)
 * and a {@link SessionHub} over it. Events are "encoded" with their {@code toString()}: the engine's tests
 * read what a session sent from {@link Frame#event()}, and the protocol's JSON is the wire module's to test.
 *
 * @param core the use cases
 * @param hub  the sessions
 */
record TestNode(ChatCore core, SessionHub hub) implements AutoCloseable {

    static TestNode start(SessionSettings settings) {
        InMemoryStore store = InMemoryStore.create();
        return start(store.rooms(), store.log(), InMemoryFanout.create(), settings);
    }

    static TestNode start(Rooms rooms, RoomLog log, Fanout fanout, SessionSettings settings) {
        return start(rooms, log, fanout, settings, ChatHooks.NONE);
    }

    static TestNode start(SessionSettings settings, ChatHooks hooks) {
        InMemoryStore store = InMemoryStore.create();
        return start(store.rooms(), store.log(), InMemoryFanout.create(), settings, hooks);
    }

    static TestNode start(Rooms rooms, RoomLog log, Fanout fanout, SessionSettings settings, ChatHooks hooks) {
        ChatCore core = ChatCore.builder().rooms(rooms).log(log).fanout(fanout)
                .presence(InMemoryPresenceRegistry.create()).hooks(hooks).build();
        SessionHub hub = SessionHub.builder().core(core).encoder(ServerEvent::toString).settings(settings).build();
        return new TestNode(core, hub);
    }

    /** Opens a WebSocket-like session for {@code user} whose frames go to {@code sink}. */
    ChatSession open(User user, SessionSink sink) {
        return hub.open(new TokenVerifier.VerifiedToken(user, Instant.MAX), TransportKind.WEBSOCKET, sink);
    }

    @Override
    public void close() {
        hub.shutdown(Duration.ofSeconds(1));
        core.close();
    }
}
