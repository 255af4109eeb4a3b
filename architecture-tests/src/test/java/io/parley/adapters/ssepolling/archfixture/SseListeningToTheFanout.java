package io.parley.adapters.ssepolling.archfixture;

import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.Signal;
import io.parley.application.port.out.Topic;
import io.parley.domain.RoomId;

import java.util.function.Consumer;

/**
 * Breaks {@code inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine}: an SSE stream that
 * listens to a room's topic itself instead of reading its session through the engine.
 */
final class SseListeningToTheFanout {
    private final Fanout fanout;

    SseListeningToTheFanout(Fanout fanout) {
        this.fanout = fanout;
    }

    Fanout.Subscription follow(RoomId room, Consumer<Signal> stream) {
        return fanout.subscribe(Topic.room(room), stream);
    }
}
