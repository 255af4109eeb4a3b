package io.parley.adapters.persistence.jdbc;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;

/**
 * A store on a fresh test database, and a database client of its own beside it, for tests that run an
 * {@link AppendTransaction} directly (to choose what shares a batch) and read what the store made of it.
 *
 * @param database the test database, dropped on close
 * @param storage  the store on it
 * @param db       a client on it with the store's pool settings
 */
record StoreWithClient(TestDatabase database, JdbcStorage storage, DbClient db) implements AutoCloseable {
    /** @return a store and a client on a new database */
    static StoreWithClient open() {
        TestDatabase database = TestPostgres.createDatabase();
        JdbcSettings settings = Settings.of(database).build();
        return new StoreWithClient(database, JdbcStorage.create(settings),
                JdbcClientBuilder.create().connectionPool(Pool.create(settings)).build());
    }

    @Override
    public void close() {
        db.close();
        storage.close();
        database.close();
    }
}
