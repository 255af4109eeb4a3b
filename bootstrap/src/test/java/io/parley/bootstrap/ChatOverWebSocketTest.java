package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end over real sockets: the chat features of protocol v1 between real WebSocket clients. */
class ChatOverWebSocketTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void two_members_chat_and_each_receives_the_others_messages_in_order() {
        String room = server.createRoom("alice", "General", "open", "bob");
        try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
            alice.ack("subscribe", "room", room);
            bob.ack("subscribe", "room", room);
            JsonNode sent = alice.ack("send", "room", room, "body", "hi bob", "client_id", "c1").get("message");
            assertEquals("hi bob", sent.get("body").asText());
            assertEquals("alice", sent.get("author").asText());
            assertEquals("Alice", sent.get("author_name").asText());

            JsonNode received = bob.expect("message");
            assertEquals(room, received.get("room").asText());
            assertEquals(sent.get("seq").asLong(), received.get("seq").asLong());
            assertEquals("hi bob", received.get("message").get("body").asText());
            assertEquals(sent.get("id").asText(), received.get("message").get("id").asText());
            assertTrue(received.get("message").get("sent_at").asText().endsWith("Z"));

            bob.ack("send", "room", room, "body", "hi alice");
            assertEquals("hi alice", alice.expect(e -> e.path("type").asText().equals("message")
                    && e.get("message").get("author").asText().equals("bob")).get("message").get("body").asText());
            // A subscribed sender receives its own events too.
            assertEquals("hi bob", alice.expect("message").get("message").get("body").asText());
        }
    }

    @Test
    void edits_and_deletes_reach_the_other_member_and_history_shows_the_current_state() {
        String room = server.createRoom("alice", "Edits", "open", "bob");
        try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
            bob.ack("subscribe", "room", room);
            String id = alice.ack("send", "room", room, "body", "typo").get("message").get("id").asText();
            alice.ack("send", "room", room, "body", "second");
            JsonNode edit = alice.ack("edit", "room", room, "message_id", id, "body", "fixed").get("event");
            assertEquals("message_edited", edit.get("type").asText());

            JsonNode edited = bob.expect("message_edited");
            assertEquals(id, edited.get("message_id").asText());
            assertEquals("fixed", edited.get("body").asText());
            assertTrue(edited.get("edited_at").asText().endsWith("Z"));

            alice.ack("delete", "room", room, "message_id", id);
            JsonNode deleted = bob.expect("message_deleted");
            assertEquals(id, deleted.get("message_id").asText());
            assertTrue(deleted.get("seq").asLong() > edited.get("seq").asLong());

            JsonNode history = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "bob", null).body());
            JsonNode newest = history.get("messages").get(0);
            JsonNode tombstone = history.get("messages").get(1);
            assertEquals("second", newest.get("body").asText());
            assertEquals(id, tombstone.get("id").asText());
            assertTrue(tombstone.get("deleted").asBoolean());
            assertTrue(tombstone.get("body").isNull());

            JsonNode notAuthor = bob.command("edit", "room", room, "message_id", newest.get("id").asText(),
                    "body", "mine now");
            assertEquals("forbidden", notAuthor.get("code").asText());
        }
    }

    @Test
    void typing_starts_and_ends_by_itself_three_seconds_after_the_last_renewal() {
        String room = server.createRoom("alice", "Typing", "open", "bob");
        try (WsClient alice = server.connect("alice"); WsClient bob = server.connect("bob")) {
            bob.ack("subscribe", "room", room);
            alice.ack("typing", "room", room, "active", true);
            WsClient.Received started = bob.expectReceived(e -> e.path("type").asText().equals("typing"),
                    WsClient.TIMEOUT);
            assertEquals("alice", started.event().get("user").asText());
            assertTrue(started.event().get("active").asBoolean());
            assertFalse(started.event().has("seq"), "typing is ephemeral");

            WsClient.Received ended = bob.expectReceived(e -> e.path("type").asText().equals("typing"),
                    Duration.ofSeconds(6));
            assertFalse(ended.event().get("active").asBoolean());
            long afterMillis = Duration.ofNanos(ended.nanos() - started.nanos()).toMillis();
            assertTrue(afterMillis >= 2_700 && afterMillis <= 4_500, "ended after " + afterMillis + " ms");
        }
    }

    @Test
    void presence_goes_online_away_and_offline_across_two_devices() {
        String room = server.createRoom("carol", "Presence", "open", "dave");
        try (WsClient carol = server.connect("carol")) {
            carol.ack("subscribe", "room", room);
            WsClient dave1 = server.connect("dave");
            assertEquals("online", presenceOf(carol, "dave").get("status").asText());
            WsClient dave2 = server.connect("dave");
            dave1.ack("presence", "status", "away");
            dave2.ack("presence", "status", "away");
            assertEquals("away", presenceOf(carol, "dave").get("status").asText());
            dave1.close();
            assertTrue(carol.maybe(e -> e.path("type").asText().equals("presence"), Duration.ofMillis(500)).isEmpty(),
                    "one device left: still away, nothing to announce");
            dave2.close();
            JsonNode offline = presenceOf(carol, "dave");
            assertEquals("offline", offline.get("status").asText());
            assertTrue(offline.get("last_seen").asText().endsWith("Z"));

            JsonNode members = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/presence", "carol", null).body())
                    .get("members");
            assertEquals(2, members.size());
        }
    }

    @Test
    void a_member_who_joins_while_online_is_announced_to_the_room_with_their_current_status() {
        String room = server.createRoom("erin", "Joiners", "open");
        try (WsClient erin = server.connect("erin"); WsClient frank = server.connect("frank")) {
            erin.ack("subscribe", "room", room);
            frank.ack("presence", "status", "away");
            frank.ack("join", "room", room);
            JsonNode joined = erin.expect("member_joined");
            assertEquals("frank", joined.get("user").asText());
            // right after the join, not at frank's next change: erin sees him away, as the presence list says
            JsonNode status = presenceOf(erin, "frank");
            assertEquals("away", status.get("status").asText());
            assertTrue(status.get("last_seen").asText().endsWith("Z"));
            JsonNode listed = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/presence", "frank", null).body());
            assertTrue(listed.get("members").toString().contains("{\"user\":\"erin\",\"status\":\"online\""),
                    "the joiner reads the others' status from the list: " + listed);

            // someone added while offline is not announced: nothing changed, and offline is the default
            server.rest("PUT", "/v1/rooms/" + room + "/members/grace", "erin", null);
            erin.expect(e -> e.path("type").asText().equals("member_joined") && e.get("user").asText().equals("grace"));
            assertTrue(erin.maybe(e -> e.path("type").asText().equals("presence")
                    && e.get("user").asText().equals("grace"), Duration.ofMillis(500)).isEmpty());
        }
    }

    @Test
    void settings_changes_reach_subscribers_live_and_a_client_that_resumes_gets_them_in_seq_order() {
        String room = server.createRoom("erin", "Settings", "open", "frank");
        long seen;
        try (WsClient frank = server.connect("frank"); WsClient inbox = server.connect("frank")) {
            seen = frank.ack("subscribe", "room", room).get("last_seq").asLong();
            inbox.ack("subscribe", "room", "*");
            server.rest("PATCH", "/v1/rooms/" + room, "erin", "{\"name\":\"Renamed\",\"metadata\":{\"deal\":\"7\"}}");
            for (WsClient client : List.of(frank, inbox)) {
                JsonNode updated = client.expect("room_updated");
                assertEquals(seen + 1, updated.get("seq").asLong());
                assertEquals("Renamed", updated.get("name").asText());
                assertEquals("{\"deal\":\"7\"}", updated.get("metadata").toString());
                assertEquals("[\"name\",\"metadata\"]", updated.get("changed").toString());
            }
        }
        server.rest("PATCH", "/v1/rooms/" + room, "erin", "{\"archived\":true}");
        try (WsClient back = server.connect("frank")) {
            JsonNode ack = back.ack("subscribe", "room", room, "after", seen);
            assertEquals(2, ack.get("replayed").asLong());
            JsonNode renamed = back.expect("room_updated");
            JsonNode archived = back.expect("room_updated");
            assertEquals(List.of(seen + 1, seen + 2), List.of(renamed.get("seq").asLong(), archived.get("seq").asLong()));
            assertEquals("Renamed", archived.get("name").asText(), "each event carries every setting");
            assertTrue(archived.get("archived").asBoolean());
            JsonNode refused = back.command("send", "room", room, "body", "too late");
            assertEquals("forbidden", refused.get("code").asText());
            assertTrue(refused.get("message").asText().contains("archived"), refused.toString());
        }
    }

    @Test
    void a_banned_member_gets_member_banned_then_nothing_more_and_cannot_come_back_until_unbanned() {
        String room = server.createRoom("erin", "Moderated", "open", "frank", "gus");
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/members/frank/role", "erin",
                "{\"role\":\"admin\"}").statusCode());
        try (WsClient gus = server.connect("gus"); WsClient gusInbox = server.connect("gus");
             WsClient erin = server.connect("erin")) {
            gus.ack("subscribe", "room", room);
            gusInbox.ack("subscribe", "room", "*");
            erin.ack("subscribe", "room", room, "after", 3); // three joins, then the role change
            JsonNode roleChanged = erin.expect("role_changed");
            assertEquals("frank", roleChanged.get("user").asText());
            assertEquals("admin", roleChanged.get("role").asText());
            assertEquals("erin", roleChanged.get("by").asText());

            assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/bans/gus", "frank", null).statusCode());
            for (WsClient client : List.of(gus, gusInbox, erin)) {
                JsonNode banned = client.expect("member_banned");
                assertEquals("gus", banned.get("user").asText());
                assertEquals("frank", banned.get("by").asText());
            }
            erin.ack("send", "room", room, "body", "after the ban");
            erin.expect("message");
            for (WsClient client : List.of(gus, gusInbox)) {
                assertTrue(client.maybe(e -> e.path("type").asText().equals("message"), Duration.ofMillis(500)).isEmpty(),
                        "nothing more from the room after member_banned");
            }
            assertEquals("forbidden", gus.command("join", "room", room).get("code").asText());
            assertEquals("forbidden", gus.command("subscribe", "room", room).get("code").asText());

            assertEquals(200, server.rest("DELETE", "/v1/rooms/" + room + "/bans/gus", "erin", null).statusCode());
            assertEquals("member_unbanned", erin.expect("member_unbanned").get("type").asText());
            assertEquals("member_joined", gus.ack("join", "room", room).get("event").get("type").asText());
            JsonNode members = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/members", "gus", null).body());
            assertEquals("[{\"user\":\"erin\",\"display_name\":\"Erin\",\"role\":\"owner\"},"
                    + "{\"user\":\"frank\",\"display_name\":\"frank\",\"role\":\"admin\"},"
                    + "{\"user\":\"gus\",\"display_name\":\"gus\",\"role\":\"member\"}]",
                    members.get("members").toString(), "a name once its owner has shown it (erin created the room)");
        }
    }

    @Test
    void a_direct_conversation_opened_by_one_reaches_the_others_inbox_and_carries_messages_both_ways() {
        try (WsClient ida = server.connect("ida"); WsClient jon = server.connect("jon")) {
            jon.ack("subscribe", "room", "*");
            String room = Json.parse(server.rest("PUT", "/v1/direct/jon", "ida", null).body()).get("id").asText();
            JsonNode joined = jon.expect(e -> e.path("type").asText().equals("member_joined")
                    && e.get("user").asText().equals("jon"));
            assertEquals(room, joined.get("room").asText(), "jon's inbox follows the new conversation");
            ida.ack("subscribe", "room", room);
            ida.ack("send", "room", room, "body", "hello jon");
            assertEquals("hello jon", jon.expect("message").get("message").get("body").asText());
            jon.ack("send", "room", room, "body", "hi ida");
            assertEquals("hi ida", ida.expect(e -> e.path("type").asText().equals("message")
                    && e.get("message").get("author").asText().equals("jon")).get("message").get("body").asText());
            assertEquals("forbidden", jon.command("leave", "room", room).get("code").asText());
        }
    }

    @Test
    void a_reply_quotes_its_parent_mentions_reach_the_inbox_and_the_room_list_counts_them_until_read() {
        String room = server.createRoom("kim", "Threads", "open", "lou");
        String elsewhere = server.createRoom("kim", "Elsewhere", "open", "lou");
        try (WsClient kim = server.connect("kim"); WsClient lou = server.connect("lou")) {
            kim.ack("subscribe", "room", "*");
            lou.ack("subscribe", "room", room);
            JsonNode parent = kim.ack("send", "room", room, "body", "who takes the Q3 report?").get("message");
            String parentId = parent.get("id").asText();
            JsonNode sent = lou.command("send", "room", room, "body", "I will, @kim", "reply_to", parentId,
                    "mentions", List.of("kim", "lou", "kim"));
            assertEquals("ack", sent.get("type").asText(), sent.toString());
            JsonNode reply = kim.expect(e -> e.path("type").asText().equals("message")
                    && e.get("message").get("author").asText().equals("lou")).get("message");
            assertEquals(parentId, reply.get("reply_to").get("id").asText());
            assertEquals("kim", reply.get("reply_to").get("author").asText());
            assertEquals("who takes the Q3 report?", reply.get("reply_to").get("excerpt").asText());
            assertEquals("[\"kim\"]", reply.get("mentions").toString(), "each once, never the author");
            assertEquals(1, roomEntry("kim", room).get("mentions").asLong());
            assertEquals(0, roomEntry("lou", room).get("mentions").asLong());

            kim.ack("edit", "room", room, "message_id", parentId, "body", "who takes the Q4 report?");
            JsonNode history = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "lou", null).body());
            assertEquals("who takes the Q4 report?", history.get("messages").get(0).get("reply_to").get("excerpt")
                    .asText(), "history shows the parent as it is now");
            kim.ack("read", "room", room, "seq", reply.get("seq").asLong());
            assertEquals(0, roomEntry("kim", room).get("mentions").asLong(), "reading clears the mention");

            assertEquals("not_found", lou.command("send", "room", elsewhere, "body", "x", "reply_to", parentId)
                    .get("code").asText(), "a reply stays in its parent's room");
            kim.ack("delete", "room", room, "message_id", parentId);
            JsonNode quoted = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "lou", null).body())
                    .get("messages").get(0).get("reply_to");
            assertTrue(quoted.get("deleted").asBoolean());
            assertTrue(quoted.get("excerpt").isNull());
            assertEquals("not_found", lou.command("send", "room", room, "body", "x", "reply_to", parentId)
                    .get("code").asText(), "nobody replies to a deleted message");
        }
    }

    @Test
    void reactions_reach_the_room_and_history_counts_them_marking_the_readers_own() {
        String room = server.createRoom("max", "Reactions", "open", "ned");
        try (WsClient max = server.connect("max"); WsClient ned = server.connect("ned")) {
            max.ack("subscribe", "room", room);
            String id = ned.ack("send", "room", room, "body", "launch at 5?").get("message").get("id").asText();
            JsonNode added = max.ack("react", "room", room, "message_id", id, "emoji", "👍").get("event");
            assertEquals("reaction_added", added.get("type").asText());
            assertEquals("max", added.get("user").asText());
            assertEquals("👍", max.expect("reaction_added").get("emoji").asText(), "subscribers get it too");
            assertFalse(max.ack("react", "room", room, "message_id", id, "emoji", "👍").has("event"),
                    "the same reaction twice changes nothing");
            ned.ack("react", "room", room, "message_id", id, "emoji", "👍");
            ned.ack("react", "room", room, "message_id", id, "emoji", "🚀");

            JsonNode forMax = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "max", null).body())
                    .get("messages").get(0).get("reactions");
            assertEquals("[{\"emoji\":\"👍\",\"count\":2,\"me\":true},{\"emoji\":\"🚀\",\"count\":1,\"me\":false}]",
                    forMax.toString());
            JsonNode removed = ned.ack("unreact", "room", room, "message_id", id, "emoji", "🚀").get("event");
            assertEquals("reaction_removed", removed.get("type").asText());
            JsonNode forNed = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "ned", null).body())
                    .get("messages").get(0).get("reactions");
            assertEquals("[{\"emoji\":\"👍\",\"count\":2,\"me\":true}]", forNed.toString());

            assertEquals("invalid", max.command("react", "room", room, "message_id", id, "emoji", "a b")
                    .get("code").asText());
            assertEquals("not_found", max.command("react", "room", room, "message_id", "nope", "emoji", "👍")
                    .get("code").asText());
        }
    }

    private static JsonNode roomEntry(String user, String room) {
        for (JsonNode entry : Json.parse(server.rest("GET", "/v1/rooms", user, null).body()).get("rooms")) {
            if (entry.get("id").asText().equals(room)) {
                return entry;
            }
        }
        throw new AssertionError(room + " not in " + user + "'s list");
    }

    private static JsonNode presenceOf(WsClient client, String user) {
        return client.expect(e -> e.path("type").asText().equals("presence") && e.get("user").asText().equals(user));
    }

    @Test
    void read_receipts_move_markers_forward_and_unread_counts_follow() {
        String room = server.createRoom("erin", "Receipts", "open", "frank");
        try (WsClient erin = server.connect("erin"); WsClient frank = server.connect("frank")) {
            erin.ack("subscribe", "room", room);
            frank.ack("send", "room", room, "body", "one");
            frank.ack("send", "room", room, "body", "two");
            long lastSeq = frank.ack("send", "room", room, "body", "three").get("message").get("seq").asLong();
            assertEquals(3, unread("erin", room));
            assertEquals(0, unread("frank", room), "own messages are not unread");

            JsonNode ack = erin.ack("read", "room", room, "seq", lastSeq - 1);
            assertEquals("read", ack.get("event").get("type").asText());
            assertEquals(1, unread("erin", room));
            JsonNode receipt = erin.expect("read");
            assertEquals("erin", receipt.get("user").asText());
            assertEquals(lastSeq - 1, receipt.get("up_to").asLong());

            JsonNode lower = erin.ack("read", "room", room, "seq", 1);
            assertFalse(lower.has("event"), "a lower seq changes nothing");
            assertEquals(1, unread("erin", room));
        }
    }

    private static long unread(String user, String room) {
        JsonNode rooms = Json.parse(server.rest("GET", "/v1/rooms", user, null).body()).get("rooms");
        for (JsonNode r : rooms) {
            if (r.get("id").asText().equals(room)) {
                return r.get("unread").asLong();
            }
        }
        throw new AssertionError(user + " is not in " + room + ": " + rooms);
    }

    @Test
    void a_client_that_resumes_with_after_receives_exactly_the_missed_events_in_order() {
        String room = server.createRoom("gina", "Resume", "open", "hank");
        try (WsClient gina = server.connect("gina")) {
            gina.ack("subscribe", "room", room);
            WsClient hank = server.connect("hank");
            hank.ack("subscribe", "room", room);
            gina.ack("send", "room", room, "body", "before");
            long seen = hank.expect("message").get("seq").asLong();
            hank.abort();

            for (int i = 0; i < 5; i++) {
                gina.ack("send", "room", room, "body", "missed " + i);
            }
            try (WsClient back = server.connect("hank")) {
                JsonNode ack = back.ack("subscribe", "room", room, "after", seen);
                assertEquals(5, ack.get("replayed").asLong());
                assertTrue(ack.get("complete").asBoolean());
                List<JsonNode> replayed = back.durable(room);
                assertEquals(5, replayed.size());
                for (int i = 0; i < 5; i++) {
                    assertEquals(seen + 1 + i, replayed.get(i).get("seq").asLong());
                    assertEquals("missed " + i, replayed.get(i).get("message").get("body").asText());
                }
                gina.ack("send", "room", room, "body", "live");
                JsonNode live = back.expect(e -> e.path("type").asText().equals("message")
                        && e.get("message").get("body").asText().equals("live"));
                assertEquals(seen + 6, live.get("seq").asLong());
                assertEquals(6, back.durable(room).size(), "no duplicates");
            }
        }
    }

    @Test
    void a_retried_send_with_the_same_client_id_is_stored_once_and_acked_with_the_original() {
        String room = server.createRoom("ivan", "Retry", "open", "judy");
        try (WsClient ivan = server.connect("ivan"); WsClient judy = server.connect("judy")) {
            judy.ack("subscribe", "room", room);
            JsonNode first = ivan.ack("send", "room", room, "body", "once", "client_id", "k-1").get("message");
            JsonNode retry = ivan.ack("send", "room", room, "body", "once", "client_id", "k-1").get("message");
            assertEquals(first.get("id").asText(), retry.get("id").asText());
            assertEquals(first.get("seq").asLong(), retry.get("seq").asLong());
            judy.expect("message");
            assertTrue(judy.maybe(e -> e.path("type").asText().equals("message"), Duration.ofMillis(300)).isEmpty());
            JsonNode history = Json.parse(server.rest("GET", "/v1/rooms/" + room + "/messages", "judy", null).body());
            assertEquals(1, history.get("messages").size());
        }
    }

    @Test
    void a_non_member_is_refused_and_the_connection_stays_open() {
        String room = server.createRoom("kate", "Private", "private");
        try (WsClient mallory = server.connect("mallory")) {
            for (String[] command : List.of(new String[]{"subscribe"}, new String[]{"send", "body", "x"},
                    new String[]{"typing", "active", "true"}, new String[]{"read", "seq", "1"},
                    new String[]{"join"})) {
                Object[] fields = new Object[command.length + 1];
                fields[0] = "room";
                fields[1] = room;
                for (int i = 1; i < command.length; i += 2) {
                    fields[i + 1] = command[i];
                    fields[i + 2] = command[i + 1].equals("true") ? true
                            : command[i + 1].matches("\\d+") ? Long.parseLong(command[i + 1]) : command[i + 1];
                }
                JsonNode reply = mallory.command(command[0], fields);
                assertEquals("error", reply.get("type").asText(), command[0]);
                assertEquals("forbidden", reply.get("code").asText(), command[0]);
            }
            assertEquals("pong", mallory.command("ping").get("type").asText());
            HttpResponse<String> history = server.rest("GET", "/v1/rooms/" + room + "/messages", "mallory", null);
            assertEquals(403, history.statusCode());
            assertEquals("forbidden", Json.parse(history.body()).get("error").get("code").asText());
        }
    }

    @Test
    void an_inbox_subscription_follows_rooms_joined_later() {
        String first = server.createRoom("liam", "First", "open", "mia");
        try (WsClient mia = server.connect("mia"); WsClient liam = server.connect("liam")) {
            JsonNode ack = mia.ack("subscribe", "room", "*");
            assertEquals(1, ack.get("rooms").size());
            liam.ack("send", "room", first, "body", "in first");
            assertEquals("in first", mia.expect("message").get("message").get("body").asText());

            String later = server.createRoom("liam", "Later", "open");
            liam.ack("subscribe", "room", later);
            assertEquals(200, server.rest("PUT", "/v1/rooms/" + later + "/members/mia", "mia", null).statusCode(),
                    "self-join of an open room answers the member_joined event");
            JsonNode joined = mia.expect(e -> e.path("type").asText().equals("member_joined")
                    && e.get("room").asText().equals(later));
            assertEquals("mia", joined.get("user").asText());
            liam.ack("send", "room", later, "body", "in later");
            assertEquals("in later", mia.expect(e -> e.path("type").asText().equals("message")
                    && e.get("room").asText().equals(later)).get("message").get("body").asText());
        }
    }

    @Test
    void rooms_are_listed_with_last_seq_read_marker_and_unread() {
        String room = server.createRoom("nina", "Listed", "private", "oscar");
        JsonNode rooms = Json.parse(server.rest("GET", "/v1/rooms", "oscar", null).body()).get("rooms");
        JsonNode listed = null;
        for (JsonNode r : rooms) {
            if (r.get("id").asText().equals(room)) {
                listed = r;
            }
        }
        assertTrue(listed != null, "oscar sees the room he was added to");
        assertEquals(Map.of("name", "Listed", "visibility", "private", "owner", "nina"),
                Map.of("name", listed.get("name").asText(), "visibility", listed.get("visibility").asText(),
                        "owner", listed.get("owner").asText()));
        assertEquals(2, listed.get("last_seq").asLong(), "two member_joined events");
        assertEquals(0, listed.get("read_up_to").asLong());
        assertEquals(0, listed.get("unread").asLong());
    }
}
