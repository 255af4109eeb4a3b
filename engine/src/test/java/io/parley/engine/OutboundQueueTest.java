package io.parley.engine;

import io.parley.domain.RoomId;
import io.parley.domain.Typing;
import io.parley.domain.UserId;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class OutboundQueueTest {
    private static final Frame DURABLE = new Frame(new ServerEvent.Pong(Optional.empty()), "{\"type\":\"pong\"}");
    private static final Frame EPHEMERAL = new Frame(
            new ServerEvent.TypingEvent(new Typing(RoomId.of("r"), UserId.of("u"), true)), "{\"type\":\"typing\"}");

    @Test
    void a_full_queue_drops_new_ephemeral_frames() {
        OutboundQueue queue = new OutboundQueue(16);
        for (int i = 0; i < 16; i++) {
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
    void finishing_without_flush_discards_queued_frames_and_ends_with_the_final_item() throws InterruptedException {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE);
        queue.finish(new OutboundQueue.Close(CloseReason.SLOW_CONSUMER), false);
        assertEquals(OutboundQueue.Offer.CLOSED, queue.offer(DURABLE));
        OutboundQueue.Close close = assertInstanceOf(OutboundQueue.Close.class, queue.take());
        assertEquals(CloseReason.SLOW_CONSUMER, close.reason());
    }

    @Test
    void finishing_with_flush_delivers_queued_frames_first() throws InterruptedException {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE);
        queue.finish(new OutboundQueue.Close(CloseReason.GOING_AWAY), true);
        assertInstanceOf(OutboundQueue.Write.class, queue.take());
        assertInstanceOf(OutboundQueue.Close.class, queue.take());
    }

    @Test
    void the_writer_takes_the_frames_queued_next_in_one_batch_up_to_the_next_control_item() throws InterruptedException {
        OutboundQueue queue = new OutboundQueue(16);
        queue.offer(DURABLE);
        queue.offer(EPHEMERAL);
        queue.offer(DURABLE);
        queue.offerPing();
        queue.offer(DURABLE);
        OutboundQueue.Write first = assertInstanceOf(OutboundQueue.Write.class, queue.take());
        java.util.List<Frame> batch = new java.util.ArrayList<>(java.util.List.of(first.frame()));
        queue.takeFrames(batch, 1 << 20);
        assertEquals(java.util.List.of(DURABLE, EPHEMERAL, DURABLE), batch);
        assertInstanceOf(OutboundQueue.Ping.class, queue.take());
        assertEquals(1, queue.size());
        // the ephemeral frame taken in the batch no longer counts: a full queue of durable frames overflows
        for (int i = 0; i < 15; i++) {
            queue.offer(DURABLE);
        }
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(DURABLE));
    }

    @Test
    void a_batch_stops_before_the_frame_that_would_take_it_over_its_byte_limit() {
        OutboundQueue queue = new OutboundQueue(16);
        for (int i = 0; i < 5; i++) {
            queue.offer(DURABLE);
        }
        java.util.List<Frame> batch = new java.util.ArrayList<>();
        int perFrame = DURABLE.utf8().length + 10;
        queue.takeFrames(batch, 3 * perFrame + perFrame / 2);
        assertEquals(3, batch.size());
        assertEquals(2, queue.size());
    }

    @Test
    void a_waiting_writer_wakes_for_a_frame_and_for_the_final_item() throws Exception {
        OutboundQueue queue = new OutboundQueue(16);
        java.util.concurrent.BlockingQueue<OutboundQueue.Item> taken = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    OutboundQueue.Item item = queue.take();
                    taken.add(item);
                    if (item instanceof OutboundQueue.Close) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(50); // let it park on the empty queue
        queue.offer(DURABLE);
        assertInstanceOf(OutboundQueue.Write.class, taken.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        Thread.sleep(50);
        queue.finish(new OutboundQueue.Close(CloseReason.NORMAL), true);
        assertInstanceOf(OutboundQueue.Close.class, taken.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        writer.join(5_000);
        assertEquals(false, writer.isAlive());
    }

    @Test
    void an_interrupted_writer_stops_waiting() throws Exception {
        OutboundQueue queue = new OutboundQueue(16);
        java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                queue.take();
                failure.complete(null);
            } catch (InterruptedException e) {
                failure.complete(e);
            }
        });
        Thread.sleep(50);
        writer.interrupt();
        assertInstanceOf(InterruptedException.class, failure.get(5, java.util.concurrent.TimeUnit.SECONDS));
    }
}
