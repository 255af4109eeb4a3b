package io.parley.testkit;

import io.parley.domain.Message;
import io.parley.domain.RoomId;
import io.parley.domain.SearchPage;
import io.parley.domain.SearchQuery;
import io.parley.domain.User;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code RoomLog.search} contract: words in any order and case, the reader's rooms only, pages. */
interface SearchTests extends StoreFixture {

    private List<String> found(User reader, String text) {
        SearchPage page = log().search(reader.id(), SearchQuery.of(text, Optional.empty(), SearchQuery.MAX_LIMIT));
        assertEquals(Optional.empty(), page.next());
        return page.messages().stream().map(Message::body).toList();
    }

    @Test
    default void a_search_finds_messages_with_every_word_in_any_order_and_case_newest_first() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        post(room, bob, "Deploy the API on Friday");
        post(room, alice, "friday lunch?");
        post(room, bob, "the api is down");
        post(room, alice, "API: deploy-friday, (again)");
        post(room, bob, "Grüße aus köln");

        assertEquals(List.of("API: deploy-friday, (again)", "Deploy the API on Friday"), found(alice, "friday DEPLOY"));
        assertEquals(List.of("API: deploy-friday, (again)", "the api is down", "Deploy the API on Friday"),
                found(bob, "api"));
        assertEquals(List.of("Grüße aus köln"), found(alice, "köln grüße"));
        assertEquals(List.of(), found(alice, "deployment"), "whole words: no prefix or stem matches");
        assertEquals(List.of(), found(alice, "friday monday"), "every word must be there");
    }

    @Test
    default void only_the_rooms_the_reader_belongs_to_now_are_searched() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        User carol = drafts().user("carol");
        RoomId shared = roomWith(alice, bob);
        RoomId bobs = roomWith(bob, carol);
        post(shared, bob, "quarterly numbers are in");
        post(bobs, carol, "quarterly numbers look bad");

        assertEquals(List.of("quarterly numbers are in"), found(alice, "quarterly"));
        assertEquals(2, found(bob, "quarterly").size());

        append(drafts().leave(shared, alice));
        assertEquals(List.of(), found(alice, "quarterly"), "a room left is no longer searched");
    }

    @Test
    default void deleted_messages_are_never_found_and_edited_ones_by_their_current_text() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId room = roomWith(alice, bob);
        Message secret = post(room, bob, "the secret password is hunter2");
        Message typo = post(room, bob, "meeting moved to tuesdya");
        append(drafts().delete(room, secret.id()));
        append(drafts().edit(room, typo.id(), "meeting moved to tuesday"));

        assertEquals(List.of(), found(alice, "password"));
        assertEquals(List.of(), found(alice, "hunter2"));
        assertEquals(List.of(), found(alice, "tuesdya"));
        assertEquals(List.of("meeting moved to tuesday"), found(alice, "tuesday"));
    }

    @Test
    default void results_come_in_pages_newest_first_each_message_once() {
        User alice = drafts().user("alice");
        User bob = drafts().user("bob");
        RoomId first = roomWith(alice, bob);
        RoomId second = roomWith(alice, bob);
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "standup note " + i;
            post(i % 2 == 0 ? first : second, bob, body);
            posted.addFirst(body);
        }
        post(first, bob, "unrelated");

        List<String> listed = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        SearchPage page = log().search(alice.id(), SearchQuery.of("standup", Optional.empty(), 2));
        while (true) {
            sizes.add(page.messages().size());
            page.messages().forEach(m -> listed.add(m.body()));
            if (page.next().isEmpty()) {
                break;
            }
            page = log().search(alice.id(), SearchQuery.of("standup", page.next(), 2));
        }
        assertEquals(posted, listed);
        assertEquals(List.of(2, 2, 1), sizes);
        assertTrue(log().search(alice.id(), SearchQuery.of("nothing here", Optional.empty(), 2)).messages().isEmpty());
    }
}
