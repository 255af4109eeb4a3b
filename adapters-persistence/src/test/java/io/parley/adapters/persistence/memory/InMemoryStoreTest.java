package io.parley.adapters.persistence.memory;

import io.parley.testkit.ChatStore;
import io.parley.testkit.ChatStoreContract;

/** The in-memory store keeps the store contract. */
class InMemoryStoreTest extends ChatStoreContract {
    @Override
    protected ChatStore newStore() {
        InMemoryStore store = InMemoryStore.create();
        return ChatStore.of(store.rooms(), store.log());
    }
}
