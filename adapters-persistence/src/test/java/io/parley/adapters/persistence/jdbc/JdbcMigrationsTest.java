package io.parley.adapters.persistence.jdbc;

import io.parley.application.port.out.AppendOutcome;
import io.parley.domain.ErrorCode;
import io.parley.domain.EventDraft;
import io.parley.domain.Member;
import io.parley.domain.Message;
import io.parley.domain.MessageId;
import io.parley.domain.ParleyException;
import io.parley.domain.Role;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomSettings;
import io.parley.domain.SearchQuery;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import io.parley.testservices.TestDatabase;
import io.parley.testservices.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema is Flyway's to manage, and can be migrated on its own. */
class JdbcMigrationsTest {

    @Test
    void migrating_creates_the_schema_once_then_finds_nothing_to_do() throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            JdbcSettings settings = Settings.of(database).build();

            assertTrue(JdbcStorage.migrate(settings) >= 1);
            assertEquals(0, JdbcStorage.migrate(settings));

            List<String> tables = tables(database);
            assertTrue(tables.containsAll(List.of("events", "memberships", "messages", "parley_schema_history",
                    "read_markers", "resumable_sessions", "rooms")), tables::toString);
        }
    }

    @Test
    void a_database_with_tables_of_its_own_gets_the_schema_beside_them() throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            try (Connection c = database.connect()) {
                c.createStatement().execute("CREATE TABLE application_users (id int PRIMARY KEY)");
            }

            assertTrue(JdbcStorage.migrate(Settings.of(database).build()) >= 1);

            assertTrue(tables(database).containsAll(List.of("application_users", "rooms", "events")));
        }
    }

    @Test
    void migrating_a_database_from_before_v3_removes_the_content_of_deleted_messages_and_indexes_the_rest()
            throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            Flyway.configure().dataSource(database.url(), database.user(), database.password())
                    .locations(Migrations.LOCATION).table(Migrations.HISTORY_TABLE).target("2").load().migrate();
            try (Connection c = database.connect()) {
                c.createStatement().execute("""
                        INSERT INTO rooms (room_id, name, visibility, owner_id, created_at, last_seq, last_event_at)
                        VALUES ('r', 'r', 'open', 'alice', '2025-01-01T00:00:01Z', 5, '2025-01-01T00:00:05Z');
                        INSERT INTO memberships (room_id, user_id, joined_seq, joined_at)
                        VALUES ('r', 'alice', 1, '2025-01-01T00:00:01Z');
                        INSERT INTO events (room_id, seq, kind, at, user_id, message_id, author_name, body,
                                            attachment_url)
                        VALUES ('r', 1, 'join', '2025-01-01T00:00:01Z', 'alice', NULL, NULL, NULL, NULL),
                               ('r', 2, 'message', '2025-01-01T00:00:02Z', 'alice', 'm1', 'Alice', 'hunter2',
                                'https://f.example/hunter2'),
                               ('r', 3, 'message', '2025-01-01T00:00:03Z', 'alice', 'm2', 'Alice', 'kept', NULL),
                               ('r', 4, 'edit', '2025-01-01T00:00:04Z', NULL, 'm1', NULL, 'hunter3', NULL),
                               ('r', 5, 'delete', '2025-01-01T00:00:05Z', NULL, 'm1', NULL, NULL, NULL);
                        INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, attachment_url,
                                              sent_at, edited_at, deleted)
                        VALUES ('r', 2, 'm1', 'alice', 'Alice', '', NULL, '2025-01-01T00:00:02Z',
                                '2025-01-01T00:00:04Z', true),
                               ('r', 3, 'm2', 'alice', 'Alice', 'kept', NULL, '2025-01-01T00:00:03Z', NULL, false)""");
            }
            JdbcSettings settings = Settings.of(database).build();

            assertEquals(13, JdbcStorage.migrate(settings), "V3 to V15");

            RoomId room = RoomId.of("r");
            try (JdbcStorage storage = JdbcStorage.create(settings)) {
                assertEquals(List.of(
                        new RoomEvent.MessagePosted(new Message(MessageId.of("m1"), room, 2, UserId.of("alice"),
                                "Alice", "", Optional.empty(), Instant.parse("2025-01-01T00:00:02Z"),
                                Optional.empty(), true)),
                        new RoomEvent.MessagePosted(new Message(MessageId.of("m2"), room, 3, UserId.of("alice"),
                                "Alice", "kept", Optional.empty(), Instant.parse("2025-01-01T00:00:03Z"),
                                Optional.empty(), false)),
                        new RoomEvent.MessageEdited(room, 4, MessageId.of("m1"), "",
                                Instant.parse("2025-01-01T00:00:04Z")),
                        new RoomEvent.MessageDeleted(room, 5, MessageId.of("m1"),
                                Instant.parse("2025-01-01T00:00:05Z"))),
                        storage.log().eventsAfter(room, 1, 10));
                // V6 indexed the messages already there: the kept one is found, the deleted one never
                assertEquals(List.of(MessageId.of("m2")), storage.log().search(UserId.of("alice"),
                        SearchQuery.of("KEPT", Optional.empty(), 10)).messages().stream().map(Message::id).toList());
                assertEquals(List.of(), storage.log().search(UserId.of("alice"),
                        SearchQuery.of("hunter3", Optional.empty(), 10)).messages());
            }
        }
    }

    @Test
    void migrating_a_populated_v6_database_gives_rooms_default_settings_and_owners_their_role_and_takes_updates()
            throws SQLException {
        try (TestDatabase database = TestPostgres.createDatabase()) {
            Flyway.configure().dataSource(database.url(), database.user(), database.password())
                    .locations(Migrations.LOCATION).table(Migrations.HISTORY_TABLE).target("6").load().migrate();
            try (Connection c = database.connect()) {
                c.createStatement().execute("""
                        INSERT INTO rooms (room_id, name, visibility, owner_id, created_at, last_seq, last_event_at)
                        VALUES ('r', 'Sales', 'private', 'alice', '2025-01-01T00:00:01Z', 2, '2025-01-01T00:00:02Z');
                        INSERT INTO memberships (room_id, user_id, joined_seq, joined_at)
                        VALUES ('r', 'alice', 1, '2025-01-01T00:00:01Z'), ('r', 'bob', 2, '2025-01-01T00:00:01Z');
                        INSERT INTO events (room_id, seq, kind, at, user_id, message_id, author_name, body)
                        VALUES ('r', 1, 'join', '2025-01-01T00:00:01Z', 'alice', NULL, NULL, NULL),
                               ('r', 2, 'message', '2025-01-01T00:00:02Z', 'alice', 'm1', 'Alice', 'hi');
                        INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, sent_at)
                        VALUES ('r', 2, 'm1', 'alice', 'Alice', 'hi', '2025-01-01T00:00:02Z')""");
            }
            JdbcSettings settings = Settings.of(database).build();

            assertEquals(9, JdbcStorage.migrate(settings), "V6 to V15");

            RoomId id = RoomId.of("r");
            try (JdbcStorage storage = JdbcStorage.create(settings)) {
                Room room = storage.rooms().find(id).orElseThrow();
                assertEquals(RoomSettings.of("Sales", Visibility.PRIVATE), room.settings());
                assertEquals(Optional.empty(), room.direct(), "V9: a room, not a direct conversation");
                assertEquals(List.of(new Member(UserId.of("alice"), Role.OWNER), new Member(UserId.of("bob"), Role.MEMBER)),
                        storage.rooms().membersWithRoles(id), "V8: the owner's membership says so");
                RoomSettings after = new RoomSettings("Sales", Visibility.PRIVATE, Optional.of("Q3"), Optional.empty(),
                        new TreeMap<>(Map.of("deal", "42")), false);
                Instant at = Instant.parse("2025-01-01T00:00:03Z");
                assertEquals(new AppendOutcome.Appended(new RoomEvent.RoomUpdated(id, 3, UserId.of("alice"), after,
                                List.of(RoomSettings.Field.TOPIC, RoomSettings.Field.METADATA), at)),
                        storage.log().append(new EventDraft.UpdateRoom(id, UserId.of("alice"), room.settings(), after,
                                at)));
                assertEquals(3, storage.log().eventsAfter(id, 0, 10).size());
                Message hi = storage.log().message(id, MessageId.of("m1")).orElseThrow();
                assertEquals(Optional.empty(), hi.replyTo(), "V10: a message from before answers nothing");
                assertEquals(List.of(), hi.mentions());
                assertEquals(after, storage.rooms().find(id).orElseThrow().settings());
            }
        }
    }

    @Test
    void migrating_a_database_nobody_listens_for_is_unavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JdbcSettings settings = JdbcSettings.builder().url("jdbc:postgresql://127.0.0.1:" + port + "/nothing")
                .connectionTimeout(Duration.ofSeconds(1)).build();

        ParleyException e = assertThrows(ParleyException.class, () -> JdbcStorage.migrate(settings));

        assertEquals(ErrorCode.UNAVAILABLE, e.code());
    }

    private static List<String> tables(TestDatabase database) throws SQLException {
        try (Connection c = database.connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
