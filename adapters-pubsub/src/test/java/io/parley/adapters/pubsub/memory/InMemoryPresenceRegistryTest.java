package io.parley.adapters.pubsub.memory;

import io.parley.application.port.out.PresenceRegistry;
import io.parley.testkit.PresenceRegistryContract;

/** The in-memory presence registry keeps the presence contract. */
class InMemoryPresenceRegistryTest extends PresenceRegistryContract {
    @Override
    protected PresenceRegistry newRegistry() {
        return InMemoryPresenceRegistry.create();
    }
}
