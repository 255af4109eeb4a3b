package io.parley.testkit;

import io.parley.domain.Message;
import io.parley.domain.RoomId;
import io.parley.domain.Room;
import io.parley.domain.RoomListPage;
import io.parley.domain.RoomListQuery;
import io.parley.domain.RoomSummary;
import io.parley.domain.User;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code Rooms} room-list contract: last seq, read marker, unread count, activity order, pages. */
interface SummaryTests extends StoreFixture {

    /** @return the user's whole room list, in one page */
    private List<RoomSummary> summaries(User user) {
        RoomListPage page = rooms().summariesOf(user.id(), RoomListQuery.first(RoomListQuery.MAX_LIMIT));
        assertEquals(Optional.empty(), page.next());
        return page.rooms();
    }

    /** @return the user's room list read in pages of {@code limit}, each page's size in {@code sizes} */
    private List<RoomId> paged(User user, int limit, List<Integer> sizes) {
        List<RoomId> listed = new ArrayList<>();
        RoomListPage page = rooms().summariesOf(user.id(), RoomListQuery.first(limit));
        while (true) {
            sizes.add(page.rooms().size());
            page.rooms().forEach(s -> listed.add(s.room().id()));
            if (page.next().isEmpty()) {
                return listed;
            }
            page = rooms().summariesOf(user.id(), RoomListQuery.after(page.next().get(), limit));
        }
    }

    private static List<RoomId> ids(List<RoomSummary> summaries) {
        return summaries.stream().map(s -> s.room().id()).toList();
    }

    @Test
    default void unread_counts_messages_by_others_that_are_not_deleted_and_above_the_read_marker() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, bob, "read already");
        post(room, bob, "unread");
        post(room, alice, "own message");
        Message deleted = post(room, bob, "deleted");
        post(room, bob, "unread too");
        append(drafts().delete(room, deleted.id()));
        append(drafts().read(room, alice, 3));

        RoomSummary forAlice = summaries(alice).getFirst();
        RoomSummary forBob = summaries(bob).getFirst();

        assertEquals(new RoomSummary(rooms().find(room).orElseThrow(), 9, forAlice.lastEventAt(), 3, 2), forAlice);
        assertEquals(new RoomSummary(rooms().find(room).orElseThrow(), 9, forAlice.lastEventAt(), 0, 1), forBob);
    }

    @Test
    default void unread_is_exact_below_the_cap_and_stops_at_it() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        for (int i = 0; i < RoomSummary.UNREAD_CAP + 2; i++) {
            post(room, bob, "m" + i);
        }
        RoomSummary all = summaries(alice).getFirst();
        assertEquals(RoomSummary.UNREAD_CAP, all.unread(), "1,002 unread read as the cap");
        assertEquals(0, summaries(bob).getFirst().unread());

        append(drafts().read(room, alice, all.lastSeq() - (RoomSummary.UNREAD_CAP - 1)));
        assertEquals(RoomSummary.UNREAD_CAP - 1, summaries(alice).getFirst().unread(), "999 unread, exactly");
    }

    @Test
    default void reading_up_to_the_last_seq_leaves_nothing_unread() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, bob, "one");
        post(room, bob, "two");
        append(drafts().read(room, alice, 4));

        assertEquals(List.of(0L), summaries(alice).stream().map(RoomSummary::unread).toList());
    }

    @Test
    default void summaries_list_the_users_rooms_most_recently_active_first() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId first = roomWith(alice, bob);
        RoomId second = roomWith(alice);
        RoomId third = roomWith(bob, alice);
        roomWith(bob);
        post(first, bob, "first is the liveliest now");

        List<RoomId> order = summaries(alice).stream().map(s -> s.room().id()).toList();

        assertEquals(List.of(first, third, second), order);
    }

    @Test
    default void a_room_left_is_no_longer_summarised() {
        User alice = drafts().user("alice");
        RoomId kept = roomWith(alice);
        RoomId left = roomWith(alice);
        append(drafts().leave(left, alice));

        assertEquals(List.of(kept), summaries(alice).stream().map(s -> s.room().id()).toList());
        assertEquals(List.of(), summaries(drafts().user("nobody")));
    }

    @Test
    default void a_long_room_list_comes_in_pages_that_list_every_room_once_in_the_same_order() {
        User alice = drafts().user("alice");
        List<RoomId> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(roomWith(alice));
        }
        post(created.get(2), alice, "the third room is the liveliest now");
        List<RoomId> whole = ids(summaries(alice));
        List<Integer> sizes = new ArrayList<>();

        List<RoomId> paged = paged(alice, 3, sizes);

        assertEquals(created.get(2), whole.getFirst());
        assertEquals(Set.copyOf(created), Set.copyOf(whole));
        assertEquals(whole, paged);
        assertEquals(List.of(3, 3, 1), sizes);
    }

    @Test
    default void a_page_that_ends_the_list_exactly_says_there_is_no_next_page() {
        User alice = drafts().user("alice");
        for (int i = 0; i < 3; i++) {
            roomWith(alice);
        }
        List<Integer> sizes = new ArrayList<>();

        assertEquals(3, paged(alice, 3, sizes).size());
        assertEquals(List.of(3), sizes);
        assertEquals(List.of(), rooms().summariesOf(drafts().user("nobody").id(), RoomListQuery.first(5)).rooms());
    }

    @Test
    default void rooms_last_active_at_the_same_instant_are_paged_by_id() {
        User alice = drafts().user("alice");
        Instant sameTime = drafts().now();
        List<RoomId> created = new ArrayList<>();
        for (String id : List.of("d", "b", "e", "a", "c")) {
            Room room = new Room(RoomId.of(id + "." + alice.id().value()), "tie", Visibility.OPEN, alice.id(),
                    sameTime);
            rooms().create(room, List.of(alice.id()));
            created.add(room.id());
        }
        List<Integer> sizes = new ArrayList<>();

        List<RoomId> paged = paged(alice, 2, sizes);

        assertEquals(created.stream().sorted(Comparator.comparing(RoomId::value)).toList(), paged);
        assertEquals(List.of(2, 2, 1), sizes);
    }

    @Test
    default void a_room_that_becomes_active_while_paging_moves_to_the_front_and_later_pages_skip_it() {
        User alice = drafts().user("alice");
        RoomId oldest = roomWith(alice);
        RoomId older = roomWith(alice);
        RoomId newer = roomWith(alice);
        RoomId newest = roomWith(alice);
        RoomListPage first = rooms().summariesOf(alice.id(), RoomListQuery.first(2));
        assertEquals(List.of(newest, newer), ids(first.rooms()));

        post(oldest, alice, "oldest wakes up");
        post(newest, alice, "newest again");
        RoomListPage second = rooms().summariesOf(alice.id(), RoomListQuery.after(first.next().orElseThrow(), 2));

        assertEquals(List.of(older), ids(second.rooms()));
        assertEquals(Optional.empty(), second.next());
        assertEquals(List.of(newest, oldest, newer, older), ids(summaries(alice)));
    }

    @Test
    default void last_seqs_name_every_room_of_the_user() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId shared = roomWith(alice, bob);
        RoomId own = roomWith(alice);
        post(shared, bob, "hello");

        assertEquals(Map.of(shared, 3L, own, 1L), rooms().lastSeqsOf(alice.id()));
        assertEquals(Map.of(), rooms().lastSeqsOf(drafts().user("nobody").id()));
    }
}
