package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FrameTest {
    private final Frame frame = new Frame(new ServerEvent.Pong(Optional.empty()), "{\"type\":\"pong\"}");

    @Test
    void a_transport_framing_is_made_once_and_shared_by_every_recipient() {
        AtomicInteger made = new AtomicInteger();
        UnaryOperator<byte[]> framing = payload -> {
            made.incrementAndGet();
            byte[] out = new byte[payload.length + 1];
            out[0] = 7;
            System.arraycopy(payload, 0, out, 1, payload.length);
            return out;
        };
        byte[] first = frame.framed(framing);
        byte[] second = frame.framed(framing);
        assertSame(first, second);
        assertEquals(1, made.get());
        assertEquals(7, first[0]);
        assertEquals(frame.utf8().length + 1, first.length);
    }

    @Test
    void another_framing_is_never_answered_from_the_first_ones_cache() {
        UnaryOperator<byte[]> doubled = payload -> {
            byte[] out = new byte[payload.length * 2];
            System.arraycopy(payload, 0, out, 0, payload.length);
            System.arraycopy(payload, 0, out, payload.length, payload.length);
            return out;
        };
        frame.framed(UnaryOperator.identity());
        assertEquals(frame.utf8().length * 2, frame.framed(doubled).length);
        assertArrayEquals(frame.utf8(), frame.framed(UnaryOperator.identity()));
    }
}
