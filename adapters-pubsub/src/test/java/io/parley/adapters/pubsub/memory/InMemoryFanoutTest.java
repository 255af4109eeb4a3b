package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.Fanout;
import io.parley.testkit.FanoutContract;

/** The in-memory fan-out keeps the fan-out contract. */
class InMemoryFanoutTest extends FanoutContract {
    @Override
    protected Fanout newFanout() {
        return InMemoryFanout.create();
    }
}
