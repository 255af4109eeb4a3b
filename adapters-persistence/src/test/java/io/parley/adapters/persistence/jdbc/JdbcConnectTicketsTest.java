package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.ConnectTickets;
import io.parley.testkit.ConnectTicketsContract;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL connect tickets keep the contract, redeemed on either of two nodes sharing the database. */
class JdbcConnectTicketsTest extends ConnectTicketsContract {
    private static TestDatabase database;
    private static JdbcStorage node;
    private static JdbcStorage otherNode;

    @BeforeAll
    static void openTwoNodes() {
        database = TestPostgres.createDatabase();
        node = JdbcStorage.create(Settings.of(database).build());
        otherNode = JdbcStorage.create(Settings.of(database).build());
    }

    @AfterAll
    static void closeTwoNodes() {
        otherNode.close();
        node.close();
        database.close();
    }

    @Override
    protected ConnectTickets newTickets() {
        return node.tickets();
    }

    @Override
    protected ConnectTickets otherNode() {
        return otherNode.tickets();
    }
}
