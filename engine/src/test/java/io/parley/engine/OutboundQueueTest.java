package io.parley.engine;

import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundQueueTest {
    private static final Frame DURABLE = new Frame(new ServerEvent.Pong(Optional.empty()), "{\"type\":\"pong\"}");
    private static final Frame EPHEMERAL = new Frame(
            new ServerEvent.TypingEvent(new Typing(RoomId.of("r"), UserId.of("u"), true)), "{\"type\":\"typing\"}");
    private static final int ROOM = 1 << 20;

    @Test
    void a_full_queue_drops_new_ephemeral_frames() {
        OutboundQueue queue = new OutboundQueue(16);
        assertEquals(OutboundQueue.Offer.START_DRAIN, queue.offer(DURABLE));
        for (int i = 1; i < 16; i++) {
            assertEquals(OutboundQueue.Offer.ACCEPTED, queue.offer(DURABLE));
        }
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offer(EPHEMERAL));
        assertEquals(OutboundQueue.Offer.DROPPED, queue.offerPing());
    }

    @Test
    void a_full_queue_evicts_queued_ephemeral_frames_before_refusing_a_durable_one() {
        OutboundQueue queue = new OutboundQueue(16);
        for (int i = 0; i < 15; i++) {
            queue.offer(DURABLE);
        }
        queue.offer(EPHEMERAL);
        assertEquals(OutboundQueue.Offer.ACCEPTED, queue.offer(DURABLE));
        assertEquals(16, queue.size());
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(DURABLE));
    }

    @Test
    void an_idle_connection_with_room_is_written_by_the_offering_thread_and_nobody_else_meanwhile() {
        OutboundQueue queue = new OutboundQueue(16);
        assertEquals(OutboundQueue.Offer.WRITE_NOW, queue.offer(DURABLE, ROOM));
        // while the claim is held, everything else queues behind it, even with room on the connection
        assertEquals(OutboundQueue.Offer.ACCEPTED, queue.offer(DURABLE, ROOM));
        assertEquals(OutboundQueue.Offer.ACCEPTED, queue.offerPing());
        List<Frame> batch = new ArrayList<>();
        assertInstanceOf(OutboundQueue.Write.class, queue.next(batch, ROOM));
        assertEquals(List.of(DURABLE, DURABLE), batch);
        assertTrue(queue.handOver(), "the ping queued meanwhile needs a drain");
        assertInstanceOf(OutboundQueue.Ping.class, queue.next(new ArrayList<>(), ROOM));
        assertNull(queue.next(new ArrayList<>(), ROOM));
        // the claim was given up: the next frame may be written inline again
        assertEquals(OutboundQueue.Offer.WRITE_NOW, queue.offer(DURABLE, ROOM));
    }

    @Test
    void a_frame_goes_to_a_drain_when_the_connection_has_no_room_or_frames_wait_ahead_of_it() {
        OutboundQueue queue = new OutboundQueue(16);
        int tooSmall = DURABLE.utf8().length;
        assertEquals(OutboundQueue.Offer.START_DRAIN, queue.offer(DURABLE, tooSmall));
        assertEquals(OutboundQueue.Offer.ACCEPTED, queue.offer(DURABLE, ROOM));
        List<Frame> batch = new ArrayList<>();
        queue.next(batch, ROOM);
        assertNull(queue.next(batch, ROOM));
        assertEquals(OutboundQueue.Offer.WRITE_NOW, queue.offer(DURABLE, ROOM));
    }

    @Test
    void an_inline_writer_keeps_nothing_when_nothing_was_queued_meanwhile() {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE, ROOM);
        queue.next(new ArrayList<>(), ROOM);
        assertFalse(queue.handOver());
        assertEquals(OutboundQueue.Offer.WRITE_NOW, queue.offer(DURABLE, ROOM));
    }

    @Test
    void finishing_without_flush_discards_queued_frames_and_ends_with_the_final_item() {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE);
        assertFalse(queue.finish(new OutboundQueue.Close(CloseReason.SLOW_CONSUMER), false),
                "the drain already started writes the final item");
        assertEquals(OutboundQueue.Offer.CLOSED, queue.offer(DURABLE));
        OutboundQueue.Close close = assertInstanceOf(OutboundQueue.Close.class, queue.next(new ArrayList<>(), ROOM));
        assertEquals(CloseReason.SLOW_CONSUMER, close.reason());
        assertNull(queue.next(new ArrayList<>(), ROOM));
    }

    @Test
    void finishing_an_idle_queue_asks_for_a_drain_that_flushes_queued_frames_first() {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE, ROOM);
        queue.next(new ArrayList<>(), ROOM);
        assertFalse(queue.handOver());
        assertTrue(queue.finish(new OutboundQueue.Close(CloseReason.GOING_AWAY), true));
        assertInstanceOf(OutboundQueue.Close.class, queue.next(new ArrayList<>(), ROOM));

        OutboundQueue other = new OutboundQueue(16);
        other.offer(DURABLE);
        other.finish(new OutboundQueue.Close(CloseReason.GOING_AWAY), true);
        assertInstanceOf(OutboundQueue.Write.class, other.next(new ArrayList<>(), ROOM));
        assertInstanceOf(OutboundQueue.Close.class, other.next(new ArrayList<>(), ROOM));
    }

    @Test
    void a_batch_takes_the_frames_queued_next_up_to_the_next_control_item() {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE);
        queue.offer(EPHEMERAL);
        queue.offer(DURABLE);
        queue.offerPing();
        queue.offer(DURABLE);
        List<Frame> batch = new ArrayList<>();
        assertInstanceOf(OutboundQueue.Write.class, queue.next(batch, ROOM));
        assertEquals(List.of(DURABLE, EPHEMERAL, DURABLE), batch);
        assertInstanceOf(OutboundQueue.Ping.class, queue.next(new ArrayList<>(), ROOM));
        assertEquals(1, queue.size());
        // the ephemeral frame taken in the batch no longer counts: a full queue of durable frames overflows
        for (int i = 0; i < 15; i++) {
            queue.offer(DURABLE);
        }
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(DURABLE));
    }

    @Test
    void a_batch_stops_before_the_frame_that_would_take_it_over_its_byte_limit_but_takes_at_least_one() {
        OutboundQueue queue = new OutboundQueue(16);
        for (int i = 0; i < 5; i++) {
            queue.offer(DURABLE);
        }
        List<Frame> batch = new ArrayList<>();
        int perFrame = DURABLE.utf8().length + 10;
        queue.next(batch, 3 * perFrame + perFrame / 2);
        assertEquals(3, batch.size());
        assertEquals(2, queue.size());
        batch.clear();
        queue.next(batch, 1);
        assertEquals(1, batch.size());
    }
}
