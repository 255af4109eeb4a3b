package io.parley.engine.resumable;

import io.parley.engine.EventEncoder;
import io.parley.engine.Frame;
import io.parley.engine.ServerEvent;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One encoding per event per node, shared by every stream and poll that delivers it. A room event, typing
 * indicator or presence change reaches every reader of a room as the same object (the fan-out hands one
 * signal to all of them), so the first reader to deliver it encodes it and the others find the text here.
 * An event read from the store is a different object that is usually equal to the one signalled, and finds
 * it too; an equal event always has the same text, so reusing it is exact.
 *
 * <p>Two small direct-mapped tables, one by the event's identity (the signalled object every reader holds)
 * and one by its hash (an equal event read from the store): each event has one slot in each; a different
 * event in that slot is replaced. Bounded memory (at most {@value #SLOTS} entries per table), no locks; a lost race costs one
 * encoding more. Replies and welcomes, which are per session, are not cached.
 */
final class SharedEncodings {
    static final int SLOTS = 4096;

    private final EventEncoder encoder;
    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);
    /**
     * The same frames by the payload object's identity: the first lookup of every reader of a signalled
     * event, which all hold that one object, costs no hash of a record's fields (a message's body, its
     * attachments) and no {@code equals}.
     */
    private final AtomicReferenceArray<Entry> byIdentity = new AtomicReferenceArray<>(SLOTS);

    private record Entry(Object payload, Frame frame) {
    }

    SharedEncodings(EventEncoder encoder) {
        this.encoder = encoder;
    }

    /** @return the event's protocol text, encoded once per node for fanned-out events */
    String encode(ServerEvent event) {
        return frame(event).text();
    }

    /** @return the event encoded (text and UTF-8 bytes), once per node for fanned-out events */
    Frame frame(ServerEvent event) {
        Object payload = switch (event) {
            case ServerEvent.Durable durable -> durable.event();
            case ServerEvent.TypingEvent typing -> typing.typing();
            case ServerEvent.PresenceEvent presence -> presence.presence();
            default -> null;
        };
        if (payload == null) {
            return Frame.encode(event, encoder);
        }
        int sameObject = spread(System.identityHashCode(payload)) & (SLOTS - 1);
        Entry seen = byIdentity.get(sameObject);
        if (seen != null && seen.payload == payload) {
            return seen.frame; // the signalled object itself: no hash of its fields, no equals
        }
        int slot = spread(payload.hashCode()) & (SLOTS - 1);
        Entry entry = slots.get(slot);
        Frame frame;
        if (entry != null && (entry.payload == payload || entry.payload.equals(payload))) {
            frame = entry.frame;
        } else {
            frame = Frame.encode(event, encoder);
            slots.set(slot, new Entry(payload, frame));
        }
        byIdentity.set(sameObject, new Entry(payload, frame));
        return frame;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
