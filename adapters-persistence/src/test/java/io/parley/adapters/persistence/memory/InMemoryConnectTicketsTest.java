package io.parley.adapters.persistence.memory;

import io.parley.application.port.out.ConnectTickets;
import io.parley.testkit.ConnectTicketsContract;

/** The in-memory connect tickets keep the contract. */
class InMemoryConnectTicketsTest extends ConnectTicketsContract {
    @Override
    protected ConnectTickets newTickets() {
        return InMemoryConnectTickets.create();
    }
}
