package io.parley.adapters.persistence.jdbc;

import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;

/**
 * Two stores over one fresh test database: two nodes of a deployment, for the tests of what they share.
 *
 * @param database  the database
 * @param node      one node's store
 * @param otherNode another node's store
 */
record TwoNodes(TestDatabase database, JdbcStorage node, JdbcStorage otherNode) implements AutoCloseable {
    static TwoNodes open() {
        TestDatabase database = TestPostgres.createDatabase();
        return new TwoNodes(database, JdbcStorage.create(Settings.of(database).build()),
                JdbcStorage.create(Settings.of(database).build()));
    }

    @Override
    public void close() {
        otherNode.close();
        node.close();
        database.close();
    }
}
