package io.parley.adapters.persistence.jdbc;

import io.parley.testkit.ChatStore;
import io.parley.testkit.FeedCursorsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL feed cursors keep the contract, claimed from either of two nodes sharing the database. */
class JdbcFeedCursorsTest extends FeedCursorsContract {
    private static TwoNodes nodes;

    @BeforeAll
    static void openTwoNodes() {
        nodes = TwoNodes.open();
    }

    @AfterAll
    static void closeTwoNodes() {
        nodes.close();
    }

    @Override
    protected Fixture open() {
        return new Fixture(ChatStore.of(nodes.node().rooms(), nodes.node().log()), nodes.node().feedCursors(),
                nodes.otherNode().feedCursors());
    }
}
