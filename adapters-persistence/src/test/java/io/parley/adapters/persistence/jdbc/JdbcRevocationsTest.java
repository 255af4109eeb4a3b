package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.Revocations;
import io.parley.testkit.RevocationsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL revocations keep the contract, seen by either of two nodes sharing the database. */
class JdbcRevocationsTest extends RevocationsContract {
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
    protected Revocations newRevocations() {
        return nodes.node().revocations();
    }

    @Override
    protected Revocations otherNode() {
        return nodes.otherNode().revocations();
    }
}
