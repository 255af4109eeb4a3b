package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryLedgerTest {
    // receivers 0 and 1 follow room 0, receiver 2 follows room 1
    private final DeliveryLedger ledger = new DeliveryLedger(100, 10, new int[] {0, 0, 1}, 2);

    @Test
    void every_message_is_owed_to_every_receiver_of_its_room() {
        ledger.sent(0);
        ledger.sent(0);
        ledger.sent(1);
        assertEquals(2 * 2 + 1, ledger.expected());
        ledger.received(0, 100);
        ledger.received(0, 101);
        ledger.received(1, 100);
        ledger.received(2, 102);
        assertEquals(4, ledger.delivered());
        assertEquals(1, ledger.missing(), "receiver 1 never got message 101");
    }

    @Test
    void a_second_delivery_of_the_same_message_to_the_same_receiver_is_a_duplicate_not_a_delivery() {
        ledger.sent(0);
        assertEquals(DeliveryLedger.Outcome.FIRST, ledger.received(0, 100));
        assertEquals(DeliveryLedger.Outcome.DUPLICATE, ledger.received(0, 100));
        assertEquals(DeliveryLedger.Outcome.FIRST, ledger.received(1, 100));
        assertEquals(1, ledger.duplicates());
        assertEquals(2, ledger.delivered());
        assertEquals(0, ledger.missing());
    }

    @Test
    void late_deliveries_of_another_step_are_counted_apart() {
        ledger.sent(0);
        assertEquals(DeliveryLedger.Outcome.NOT_IN_STEP, ledger.received(0, 99));
        assertEquals(DeliveryLedger.Outcome.NOT_IN_STEP, ledger.received(0, 110));
        assertEquals(2, ledger.outside());
        assertEquals(0, ledger.delivered());
        assertEquals(2, ledger.missing());
    }
}
