package io.parley.application.port.out;

import io.parley.domain.RoomEvent;

/**
 * Sees every durable event once, after it was stored, in seq order per room (rooms in parallel): for search
 * indexing, analytics, webhooks. Given to {@code ChatCore.builder().listener(name, listener)}; its progress is
 * kept per room in {@link FeedCursors} under its name, so it resumes where it stopped after a restart (with the
 * PostgreSQL store), on any node, and only one node feeds it a room at a time.
 *
 * <p>Delivery is at least once: an event whose call returned may be given again only when the node died, or the
 * store failed, before it recorded that (so make the listener idempotent by the event's room and seq). A call
 * that throws is retried with backoff (1 s, doubling, at most a minute), and the room's later events wait for
 * it; other rooms go on. Calls never run on a thread of the chat's delivery: a slow or failing listener never
 * slows messages down.
 */
@FunctionalInterface
public interface EventListener {
    /**
     * @param event a durable event of a room, the one after the last one this listener took in that room
     * @throws Exception to have it given again later
     */
    void onEvent(RoomEvent event) throws Exception;
}
