package io.parley.testkit;

import io.parley.domain.EventDraft;
import io.parley.domain.Room;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSettings;
import io.parley.domain.RoomSummary;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static io.parley.testkit.StoreFixture.assertUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code RoomLog} contract for {@link EventDraft.UpdateRoom}: room settings and their events. */
interface RoomSettingsTests extends StoreFixture {

    private static RoomSettings deal(Room room) {
        TreeMap<String, String> metadata = new TreeMap<>();
        metadata.put("crm.deal", "42");
        metadata.put("stage", "Négociation — «final» 🚀");
        return new RoomSettings("Deal 42", Visibility.PRIVATE, Optional.of("Renewal for ACME"),
                Optional.of("https://cdn.example.com/acme.png"), metadata, true);
    }

    @Test
    default void an_update_appends_room_updated_with_every_setting_and_the_room_keeps_them() {
        User alice = drafts().user("alice");
        RoomId id = roomWith(alice);
        Room room = rooms().find(id).orElseThrow();
        RoomSettings after = deal(room);

        RoomEvent event = append(new EventDraft.UpdateRoom(id, alice.id(), room.settings(), after, drafts().now()));

        assertEquals(new RoomEvent.RoomUpdated(id, 2, alice.id(), after, List.of(RoomSettings.Field.values()),
                event.at()), event);
        assertEquals(room.with(after), rooms().find(id).orElseThrow());
        assertEquals(List.of(event), log().eventsAfter(id, 1, 10), "replay returns the event as appended");
        assertEquals(2, log().lastSeq(id));
    }

    @Test
    default void room_updated_names_only_the_settings_that_changed_and_replay_keeps_each_snapshot() {
        User alice = drafts().user("alice");
        RoomId id = roomWith(alice);
        RoomSettings first = rooms().find(id).orElseThrow().settings();
        RoomSettings renamed = new RoomSettings("Renamed", first.visibility(), first.topic(), first.avatarUrl(),
                first.metadata(), false);
        RoomSettings withTopic = new RoomSettings("Renamed", first.visibility(), Optional.of("a topic"),
                first.avatarUrl(), first.metadata(), false);

        RoomEvent rename = append(new EventDraft.UpdateRoom(id, alice.id(), first, renamed, drafts().now()));
        RoomEvent topic = append(new EventDraft.UpdateRoom(id, alice.id(), renamed, withTopic, drafts().now()));

        assertEquals(List.of(RoomSettings.Field.NAME), ((RoomEvent.RoomUpdated) rename).changed());
        assertEquals(List.of(RoomSettings.Field.TOPIC), ((RoomEvent.RoomUpdated) topic).changed());
        assertEquals(List.of(rename, topic), log().eventsAfter(id, 1, 10));
        assertEquals(withTopic, rooms().find(id).orElseThrow().settings());
    }

    @Test
    default void an_update_computed_from_settings_that_changed_since_appends_nothing() {
        User alice = drafts().user("alice");
        RoomId id = roomWith(alice);
        Room room = rooms().find(id).orElseThrow();
        RoomSettings renamed = new RoomSettings("First", room.visibility(), Optional.empty(), Optional.empty(),
                new TreeMap<>(), false);
        RoomSettings other = new RoomSettings("Second", room.visibility(), Optional.empty(), Optional.empty(),
                new TreeMap<>(), false);
        append(new EventDraft.UpdateRoom(id, alice.id(), room.settings(), renamed, drafts().now()));

        assertUnchanged(log().append(new EventDraft.UpdateRoom(id, alice.id(), room.settings(), other, drafts().now())));

        assertEquals(renamed, rooms().find(id).orElseThrow().settings());
        assertEquals(2, log().lastSeq(id));
    }

    @Test
    default void the_room_list_shows_the_settings_and_an_update_makes_the_room_the_most_recent() {
        User alice = drafts().user("alice");
        RoomId quiet = roomWith(alice);
        RoomId busy = roomWith(alice);
        post(busy, alice, "hello");
        Room room = rooms().find(quiet).orElseThrow();
        RoomSettings after = deal(room);

        append(new EventDraft.UpdateRoom(quiet, alice.id(), room.settings(), after, drafts().now()));

        List<RoomSummary> list = rooms().summariesOf(alice.id(), RoomListQuery.first(10)).rooms();
        assertEquals(List.of(quiet, busy), list.stream().map(s -> s.room().id()).toList());
        assertEquals(after, list.getFirst().room().settings());
    }

    @Test
    default void a_room_created_with_settings_keeps_them() {
        User alice = drafts().user("alice");
        Room plain = drafts().room("deal", alice);
        Room room = plain.with(deal(plain));

        rooms().create(room, List.of(alice.id()));

        assertEquals(Optional.of(room), rooms().find(room.id()));
    }
}
