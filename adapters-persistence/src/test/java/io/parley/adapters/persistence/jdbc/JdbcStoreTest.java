package io.parley.adapters.persistence.jdbc;

import io.parley.testkit.ChatStore;
import io.parley.testkit.ChatStoreContract;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL store keeps the store contract; every test opens a new store on one database. */
class JdbcStoreTest extends ChatStoreContract {
    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Override
    protected ChatStore newStore() {
        JdbcStorage storage = JdbcStorage.create(Settings.of(database).build());
        return new ChatStore() {
            @Override
            public io.parley.application.port.out.Rooms rooms() {
                return storage.rooms();
            }

            @Override
            public io.parley.application.port.out.RoomLog log() {
                return storage.log();
            }

            @Override
            public void close() {
                storage.close();
            }
        };
    }
}
