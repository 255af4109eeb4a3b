package io.parley.bootstrap.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Dimension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two people chat through the demo page, each in their own headless Chromium, over WebSocket. */
@RequiresChromium
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the chat test ends by closing bob's page
class DemoChatInBrowserTest {
    private static DevServer server;
    private static DemoPage alice;
    private static DemoPage bob;

    @BeforeAll
    static void start() {
        server = DevServer.start();
        var pages = DemoPage.signInAll(server.base(), "Alice", "Bob");
        alice = pages.get(0);
        bob = pages.get(1);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {alice, bob, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    @Order(5)
    void two_users_chat_with_unread_counts_receipts_typing_edits_deletes_and_presence() {
        assertEquals("websocket", alice.transport());
        assertEquals("connected via websocket", alice.badgeText());

        alice.createRoom("Lobby", "bob");
        bob.await("Lobby listed", p -> p.unread("Lobby") == 0);

        // A message to a room bob has not opened shows up as unread...
        alice.send("hello bob");
        bob.await("one unread in Lobby", p -> p.unread("Lobby") == 1);
        // ...until he opens it: then it is read, and alice sees it was.
        bob.openRoom("Lobby");
        bob.await("alice's message", p -> p.bodies().equals(List.of("hello bob")));
        bob.await("nothing unread", p -> p.unread("Lobby") == 0);
        alice.await("seen by bob", p -> p.messages().get(0).seenBy().equalsIgnoreCase("seen by bob"));

        // Presence: both online; away when bob says so.
        alice.await("bob online", p -> p.presenceOf("bob").equals("online"));
        bob.await("alice online", p -> p.presenceOf("alice").equals("online"));
        bob.setStatus("away");
        alice.await("bob away", p -> p.presenceOf("bob").equals("away"));
        bob.setStatus("online");
        alice.await("bob online again", p -> p.presenceOf("bob").equals("online"));

        // Typing shows while alice types and goes away by itself when she stops.
        alice.type("are you th");
        bob.await("alice typing", p -> p.typingLine().equals("Alice is typing…"));
        bob.await("typing over", Duration.ofSeconds(8), p -> p.typingLine().isEmpty());
        alice.type("ere?");
        bob.await("alice typing again", p -> p.typingLine().equals("Alice is typing…"));
        alice.pressEnter();
        bob.await("second message, typing ended", p -> p.bodies().equals(List.of("hello bob", "are you there?"))
                && p.typingLine().isEmpty());

        bob.send("yes!");
        alice.await("bob's answer", p -> p.bodies().equals(List.of("hello bob", "are you there?", "yes!")));

        // Dev mode's moderation hook refuses the word "spam": alice is told why and keeps her text to fix.
        alice.send("cheap spam here");
        alice.await("the refusal", p -> p.typingLine().contains("a word this chat does not allow"));
        assertEquals("cheap spam here", alice.composerText());
        assertEquals(List.of("hello bob", "are you there?", "yes!"), alice.bodies());
        alice.clearComposer();

        // Edit and delete reach the other side.
        alice.edit("hello bob", "hello, bob");
        bob.await("the edit", p -> p.messages().get(0).body().equals("hello, bob") && p.messages().get(0).edited());
        alice.delete("are you there?");
        bob.await("the tombstone", p -> p.messages().get(1).deleted());
        assertEquals("message deleted", bob.messages().get(1).body());

        // Both ends show the same history, and so does the server.
        List<DemoPage.Shown> seenByBob = bob.messages();
        alice.await("same list as bob", p -> p.messages().stream().map(m -> m.id() + m.body()).toList()
                .equals(seenByBob.stream().map(m -> m.id() + m.body()).toList()));
        var history = server.history("alice", alice.driver().findElement(org.openqa.selenium.By.id("room-id")).getText());
        assertEquals(List.of("hello, bob", "", "yes!"),
                history.stream().map(m -> m.get("body").isNull() ? "" : m.get("body").asText()).toList());
        assertTrue(history.get(1).get("deleted").asBoolean());

        // Bob leaves: his dot goes grey.
        bob.close();
        alice.await("bob offline", p -> p.presenceOf("bob").equals("offline"));
    }

    @Test
    @Order(1)
    void a_settings_change_renames_the_room_and_shows_its_topic_on_the_other_side() {
        String room = server.createRoom("alice", "Quarterly", "bob");
        bob.await("Quarterly listed", p -> p.unread("Quarterly") == 0);

        server.patchRoom("alice", room, "{\"name\":\"Q3 review\",\"topic\":\"numbers due Friday\",\"archived\":true}");

        bob.await("the new name listed", p -> p.unread("Q3 review") == 0);
        bob.openRoom("Q3 review");
        bob.await("title and topic", p -> p.text("room-title").equals("Q3 review")
                && p.text("room-topic").equals("(archived) numbers due Friday"));
    }

    @Test
    @Order(4)
    void a_direct_conversation_is_listed_by_the_other_persons_name_on_both_sides() {
        alice.openDirect("bob", "Bob"); // bob's page listed his rooms when it opened: his name is known
        alice.send("psst, bob");
        bob.await("the conversation listed as Alice", p -> p.unread("Alice") == 1);
        bob.openRoom("Alice");
        bob.await("alice's message", p -> p.bodies().equals(List.of("psst, bob")));
        bob.send("hi alice");
        alice.await("bob's answer", p -> p.bodies().equals(List.of("psst, bob", "hi alice")));
        alice.openDirect("bob", "Bob"); // opening it again finds the same conversation
        assertEquals(List.of("psst, bob", "hi alice"), alice.bodies());

        // A reply quotes its parent; an @mention of a member marks the message for them.
        bob.reply("psst, bob", "@alice noted");
        alice.await("the reply", p -> p.bodies().contains("@alice noted"));
        assertEquals("↪ Alice: psst, bob", alice.quoteOf("@alice noted"));
        assertTrue(alice.mentionsMe("@alice noted"));
        assertTrue(!bob.mentionsMe("@alice noted"));

        // Reactions: counted on both sides, and taken back.
        alice.thumbsUp("@alice noted");
        bob.await("alice's reaction", p -> p.reactionsOf("@alice noted").equals(List.of("👍 1")));
        bob.thumbsUp("@alice noted");
        alice.await("two reactions", p -> p.reactionsOf("@alice noted").equals(List.of("👍 2")));
        alice.thumbsUp("@alice noted");
        bob.await("alice took hers back", p -> p.reactionsOf("@alice noted").equals(List.of("👍 1")));
    }

    @Test
    @Order(2)
    void at_phone_width_a_user_browses_joins_sees_names_times_and_an_empty_room_and_confirms_deletes() {
        server.createRoom("alice", "Garden club");
        bob.driver().manage().window().setSize(new Dimension(420, 800));
        try {
            bob.browseAndJoin("garden", "Garden club");
            bob.await("the empty-room state", p -> p.emptyState().equals("No messages yet: say hello."));
            bob.await("members by name", p -> p.memberNames().containsAll(List.of("Alice", "Bob")));
            assertTrue(bob.withinWidth("send"), "the Send button is on screen at 420 px");
            assertTrue(bob.withinWidth("composer"));
            bob.send("hello garden");
            alice.openRoom("Garden club");
            alice.await("bob's message", p -> p.bodies().equals(List.of("hello garden")));
            assertTrue(bob.timeOf("hello garden").endsWith("Z"), "each message shows when it was sent");

            bob.clickDeleteOnce("hello garden");
            bob.await("the question", p -> p.deleteAsks("hello garden"));
            assertEquals(List.of("hello garden"), bob.bodies(), "one click only asks");
            bob.clickDeleteOnce("hello garden");
            alice.await("deleted after the confirmation", p -> p.messages().getFirst().deleted());
        } finally {
            bob.driver().manage().window().setSize(new Dimension(1200, 900));
        }
    }

    @Test
    @Order(3)
    void the_owner_names_an_admin_and_bans_a_member_from_the_member_list() {
        server.createRoom("alice", "Moderated", "bob");
        alice.openRoom("Moderated");
        bob.await("Moderated listed", p -> p.roomNames().contains("Moderated"));
        bob.openRoom("Moderated");

        alice.moderate("bob", "promote");
        bob.await("bob shown as admin", p -> p.roleOf("bob").equals("admin"));
        alice.moderate("bob", "promote"); // now "make member"
        bob.await("bob a member again", p -> p.roleOf("bob").equals("member"));
        assertEquals("owner", bob.roleOf("alice"));

        alice.moderate("bob", "ban");
        bob.await("the room gone from bob's list", p -> !p.roomNames().contains("Moderated"));
        alice.await("bob gone from the members", p -> !p.memberNames().contains("Bob"));
    }
}
