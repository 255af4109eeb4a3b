package io.parley.adapters.persistence.memory;

import io.parley.testkit.ChatStore;
import io.parley.testkit.FeedCursorsContract;

/** The in-memory feed cursors keep the contract. */
class InMemoryFeedCursorsTest extends FeedCursorsContract {
    @Override
    protected Fixture open() {
        InMemoryStore store = InMemoryStore.create();
        return new Fixture(ChatStore.of(store.rooms(), store.log()), store.feedCursors(), store.feedCursors());
    }
}
