package io.parley.testkit;

import io.parley.domain.DirectPair;
import io.parley.domain.DirectoryQuery;
import io.parley.domain.EventDraft;
import io.parley.domain.Room;
import io.parley.domain.RoomSettings;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code Rooms} contract for the directory of open rooms. */
interface DirectoryTests extends StoreFixture {

    private Room room(String name, Visibility visibility, User owner, User... others) {
        Room plain = drafts().room("r", owner);
        Room room = plain.with(RoomSettings.of(name, visibility));
        rooms().create(room, java.util.stream.Stream.concat(java.util.stream.Stream.of(owner),
                java.util.stream.Stream.of(others)).map(User::id).toList());
        return room;
    }

    @Test
    default void the_directory_lists_open_live_rooms_by_name_without_case_in_pages_with_their_member_counts() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        String tag = drafts().messageId().value().replace('.', '_').toLowerCase(java.util.Locale.ROOT);
        Room bravo = room("Bravo " + tag, Visibility.OPEN, alice, bob);
        Room alpha = room("alpha " + tag, Visibility.OPEN, bob);
        Room alphaToo = room("ALPHA " + tag, Visibility.OPEN, alice);
        room("Charlie " + tag, Visibility.PRIVATE, alice);
        Room delta = room("Delta " + tag, Visibility.OPEN, alice);
        append(new EventDraft.UpdateRoom(delta.id(), alice.id(), delta.settings(),
                new RoomSettings(delta.name(), Visibility.OPEN, Optional.empty(), Optional.empty(),
                        new java.util.TreeMap<>(), true), drafts().now()));
        rooms().create(Room.direct(DirectPair.of(alice.id(), bob.id()), alice.id(), drafts().now()),
                List.of(alice.id(), bob.id()));
        Room[] sameName = {alpha, alphaToo};
        java.util.Arrays.sort(sameName, java.util.Comparator.comparing(r -> r.id().value()));

        DirectoryQuery.Page first = rooms().directory(new DirectoryQuery(tag.toUpperCase(java.util.Locale.ROOT),
                Optional.empty(), 2));
        assertEquals(List.of(sameName[0].id(), sameName[1].id()), first.rooms().stream().map(e -> e.room().id()).toList());
        DirectoryQuery.Page second = rooms().directory(new DirectoryQuery(tag, first.next(), 2));
        assertEquals(List.of(bravo.id()), second.rooms().stream().map(e -> e.room().id()).toList(),
                "not the private room, the archived one or the conversation");
        assertEquals(Optional.empty(), second.next());
        assertEquals(2, second.rooms().getFirst().members());
        assertEquals(bravo, second.rooms().getFirst().room());
        assertEquals(List.of(bravo.id()), rooms().directory(new DirectoryQuery("bravo " + tag, Optional.empty(), 10))
                .rooms().stream().map(e -> e.room().id()).toList());
    }
}
