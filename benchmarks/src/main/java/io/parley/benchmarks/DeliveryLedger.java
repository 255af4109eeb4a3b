package io.parley.benchmarks;

import java.util.BitSet;

/**
 * Which receiver got which message of one measured step, so every delivery is checked: a message a
 * receiver's room was sent and that receiver never got is lost, one it got twice is a duplicate. Messages
 * are numbered from {@code firstId}; receivers are numbered from 0 and each follows one room.
 * Not thread-safe: the load generator's loop thread owns it.
 */
final class DeliveryLedger {
    private final int firstId;
    private final int capacity;
    private final int[] receiverRoom;
    private final int[] sentPerRoom;
    private final BitSet[] received;
    private long delivered;
    private long duplicates;
    private long outside;

    /**
     * @param firstId      the id of the step's first message
     * @param capacity     the most messages the step may send
     * @param receiverRoom the room each receiver follows, by receiver number
     * @param rooms        the number of rooms
     */
    DeliveryLedger(int firstId, int capacity, int[] receiverRoom, int rooms) {
        this.firstId = firstId;
        this.capacity = capacity;
        this.receiverRoom = receiverRoom.clone();
        this.sentPerRoom = new int[rooms];
        this.received = new BitSet[receiverRoom.length];
        for (int i = 0; i < received.length; i++) {
            received[i] = new BitSet(capacity);
        }
    }

    /** Notes that one more message was sent to {@code room}. */
    void sent(int room) {
        sentPerRoom[room]++;
    }

    /** What a delivery turned out to be. */
    enum Outcome { FIRST, DUPLICATE, NOT_IN_STEP }

    /** Notes that {@code receiver} got message {@code id}. */
    Outcome received(int receiver, int id) {
        int index = id - firstId;
        if (index < 0 || index >= capacity) {
            outside++;
            return Outcome.NOT_IN_STEP;
        }
        BitSet got = received[receiver];
        if (got.get(index)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        got.set(index);
        delivered++;
        return Outcome.FIRST;
    }

    /** @return deliveries the step owes in all: each sent message times the receivers of its room */
    long expected() {
        long expected = 0;
        for (int room : receiverRoom) {
            expected += sentPerRoom[room];
        }
        return expected;
    }

    /** @return first deliveries so far */
    long delivered() {
        return delivered;
    }

    /** @return deliveries still missing; after the drain, lost ones */
    long missing() {
        return expected() - delivered;
    }

    /** @return second and later deliveries of the same message to the same receiver */
    long duplicates() {
        return duplicates;
    }

    /** @return deliveries of messages of another step (late ones of the previous step, say) */
    long outside() {
        return outside;
    }
}
