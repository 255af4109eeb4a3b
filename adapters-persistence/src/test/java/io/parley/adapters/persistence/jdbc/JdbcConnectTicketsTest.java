package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.ConnectTickets;
import io.parley.testkit.ConnectTicketsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL connect tickets keep the contract, redeemed on either of two nodes sharing the database. */
class JdbcConnectTicketsTest extends ConnectTicketsContract {
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
    protected ConnectTickets newTickets() {
        return nodes.node().tickets();
    }

    @Override
    protected ConnectTickets otherNode() {
        return nodes.otherNode().tickets();
    }
}
