package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.application.port.in.SendMessage;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end over real sockets: the REST endpoints of protocol v1, their statuses and JSON errors. */
class RestApiTest {
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
    void only_the_owner_deletes_a_room_and_a_direct_conversation_is_not_deleted() {
        String id = server.createRoom("olga", "Short-lived", "private", "pete");
        String path = "/v1/rooms/" + id;
        assertEquals(200, server.rest("PUT", path + "/members/pete/role", "olga", "{\"role\":\"admin\"}").statusCode());
        assertEquals(403, server.rest("DELETE", path, "pete", null).statusCode(), "an admin does not delete it");
        assertEquals(403, server.rest("DELETE", path, "rick", null).statusCode(), "nor does a stranger");
        HttpResponse<String> deleted = server.rest("DELETE", path, "olga", null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals("room_deleted", Json.parse(deleted.body()).get("type").asText());
        assertFalse(roomIds("pete").contains(id));
        assertEquals(404, server.rest("GET", path, "olga", null).statusCode());
        assertEquals(404, server.rest("DELETE", path, "olga", null).statusCode());

        String direct = Json.parse(server.rest("PUT", "/v1/direct/pete", "olga", null).body()).get("id").asText();
        assertEquals(403, server.rest("DELETE", "/v1/rooms/" + direct, "olga", null).statusCode());
    }

    @Test
    void creating_a_room_answers_201_with_the_room_and_makes_the_creator_owner_and_member() {
        HttpResponse<String> created = server.rest("POST", "/v1/rooms", "olga",
                "{\"name\":\"  Launch  \",\"visibility\":\"private\",\"members\":[\"pete\",\"quinn\"]}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode room = Json.parse(created.body());
        String id = room.get("id").asText();
        assertFalse(id.isBlank());
        assertEquals("Launch", room.get("name").asText(), "surrounding space is stripped");
        assertEquals("private", room.get("visibility").asText());
        assertEquals("olga", room.get("owner").asText());
        assertTrue(room.get("created_at").asText().endsWith("Z"));
        assertEquals(3, room.get("last_seq").asLong(), "one member_joined for the creator and each member");
        assertEquals("/v1/rooms/" + id, created.headers().firstValue("Location").orElseThrow());

        JsonNode open = Json.parse(server.rest("POST", "/v1/rooms", "olga", "{\"name\":\"Lobby\"}").body());
        assertEquals("open", open.get("visibility").asText(), "open by default");
        assertEquals(1, open.get("last_seq").asLong());

        for (String user : List.of("olga", "pete", "quinn")) {
            assertTrue(roomIds(user).contains(id), user + " lists the room");
        }
        assertFalse(roomIds("rick").contains(id));
    }

    @Test
    void an_invalid_room_body_answers_400_invalid() {
        for (String body : List.of("not json", "[]", "{}", "{\"name\":\"   \"}", "{\"name\":42}",
                "{\"name\":\"x\",\"visibility\":\"secret\"}", "{\"name\":\"x\",\"members\":\"pete\"}",
                "{\"name\":\"x\",\"members\":[7]}", "{\"name\":\"bad\\u0007name\"}")) {
            HttpResponse<String> response = server.rest("POST", "/v1/rooms", "olga", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText(), body);
            assertFalse(error(response).get("message").asText().isBlank(), body);
        }
        for (String empty : new String[]{"", null}) { // an empty body, and none at all
            HttpResponse<String> response = server.rest("POST", "/v1/rooms", "olga", empty);
            assertEquals(400, response.statusCode(), "empty body -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText());
        }
        HttpResponse<String> tooLong = server.rest("POST", "/v1/rooms", "olga",
                "{\"name\":\"" + "n".repeat(101) + "\"}");
        assertEquals(413, tooLong.statusCode());
        assertEquals("too_large", error(tooLong).get("code").asText());
    }

    @Test
    void the_owner_changes_settings_with_patch_which_answers_the_room_updated_event_and_get_and_the_list_show_them() {
        String room = server.createRoom("olga", "Deal", "open", "pete");
        String path = "/v1/rooms/" + room;
        JsonNode fresh = Json.parse(server.rest("GET", path, "pete", null).body());
        assertEquals("Deal", fresh.get("name").asText());
        assertTrue(fresh.get("topic").isNull());
        assertTrue(fresh.get("avatar_url").isNull());
        assertEquals(0, fresh.get("metadata").size());
        assertFalse(fresh.get("archived").asBoolean());
        assertEquals(2, fresh.get("last_seq").asLong());

        HttpResponse<String> patched = server.rest("PATCH", path, "olga", """
                {"name":"  Deal 42  ","topic":"Renewal for ACME","avatar_url":"https://cdn.example.com/acme.png",
                 "metadata":{"crm.deal":"42","stage":"négociation 🚀"}}""");
        assertEquals(200, patched.statusCode(), patched.body());
        JsonNode event = Json.parse(patched.body());
        assertEquals("room_updated", event.get("type").asText());
        assertEquals(room, event.get("room").asText());
        assertEquals(3, event.get("seq").asLong());
        assertEquals("olga", event.get("by").asText());
        assertEquals("[\"name\",\"topic\",\"avatar_url\",\"metadata\"]", event.get("changed").toString());
        assertEquals("Deal 42", event.get("name").asText(), "stripped as at creation");
        assertEquals("négociation 🚀", event.get("metadata").get("stage").asText());
        assertTrue(event.get("updated_at").asText().endsWith("Z"));

        // Metadata merges key by key: null removes a key, keys not named stay; null removes the topic.
        JsonNode second = Json.parse(server.rest("PATCH", path, "olga",
                "{\"metadata\":{\"stage\":null,\"owner\":\"sales\"},\"topic\":null}").body());
        assertEquals("[\"topic\",\"metadata\"]", second.get("changed").toString());
        JsonNode read = Json.parse(server.rest("GET", path, "pete", null).body());
        assertEquals("{\"crm.deal\":\"42\",\"owner\":\"sales\"}", read.get("metadata").toString());
        assertTrue(read.get("topic").isNull());
        assertEquals("https://cdn.example.com/acme.png", read.get("avatar_url").asText());
        assertEquals(4, read.get("last_seq").asLong());
        JsonNode listed = Json.parse(server.rest("GET", "/v1/rooms", "pete", null).body()).get("rooms").get(0);
        assertEquals(room, listed.get("id").asText(), "an update is activity: the room moves to the top");
        assertEquals("Deal 42", listed.get("name").asText());
        assertEquals(read.get("metadata"), listed.get("metadata"));

        assertEquals(204, server.rest("PATCH", path, "olga", "{\"name\":\"Deal 42\"}").statusCode(),
                "a change that changes nothing appends nothing");
        assertEquals(4, Json.parse(server.rest("GET", path, "pete", null).body()).get("last_seq").asLong());
    }

    @Test
    void an_invalid_settings_change_answers_400_or_413_and_changes_nothing() {
        String room = server.createRoom("olga", "Strict", "open");
        String path = "/v1/rooms/" + room;
        for (String body : List.of("not json", "[]", "{}", "{\"titel\":\"typo\"}", "{\"name\":null}",
                "{\"name\":\"  \"}", "{\"visibility\":\"secret\"}", "{\"topic\":7}",
                "{\"topic\":\"two\\nlines\"}", "{\"avatar_url\":\"javascript:alert(1)\"}",
                "{\"avatar_url\":\"/relative.png\"}", "{\"metadata\":[]}", "{\"metadata\":{\"n\":1}}",
                "{\"metadata\":{\"bad key\":\"v\"}}", "{\"archived\":\"yes\"}")) {
            HttpResponse<String> response = server.rest("PATCH", path, "olga", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText(), body);
        }
        StringBuilder many = new StringBuilder("{\"metadata\":{");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        for (String body : List.of("{\"topic\":\"" + "t".repeat(501) + "\"}", many + "}}",
                "{\"metadata\":{\"k\":\"" + "v".repeat(501) + "\"}}")) {
            HttpResponse<String> response = server.rest("PATCH", path, "olga", body);
            assertEquals(413, response.statusCode(), response.body());
            assertEquals("too_large", error(response).get("code").asText());
        }
        assertEquals(1, Json.parse(server.rest("GET", path, "olga", null).body()).get("last_seq").asLong());
    }

    @Test
    void bad_role_and_owner_bodies_answer_400_invalid() {
        String room = server.createRoom("olga", "Bodies", "open", "pete");
        String path = "/v1/rooms/" + room;
        for (String body : List.of("", "[]", "{}", "{\"role\":7}", "{\"role\":\"boss\"}", "{\"role\":\"owner\"}")) {
            HttpResponse<String> response = server.rest("PUT", path + "/members/pete/role", "olga", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText());
        }
        for (String body : List.of("", "{}", "{\"user\":7}", "{\"user\":\"\"}")) {
            HttpResponse<String> response = server.rest("PUT", path + "/owner", "olga", body);
            assertEquals(400, response.statusCode(), body + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText());
        }
        JsonNode members = Json.parse(server.rest("GET", path + "/members", "pete", null).body()).get("members");
        assertEquals(List.of("olga owner", "pete member"), StreamSupport.stream(members.spliterator(), false)
                .map(m -> m.get("user").asText() + " " + m.get("role").asText()).toList(), "nothing changed");
        assertEquals("Olga", members.get(0).get("display_name").asText(), "olga's name is known: she created a room");
    }

    @Test
    void a_direct_conversation_is_one_room_per_pair_named_after_the_other_person_and_closed_to_everyone_else() {
        server.rest("GET", "/v1/rooms", "bree", null); // bree's name is remembered when she lists her rooms
        HttpResponse<String> opened = server.rest("PUT", "/v1/direct/bree", "abel", null);
        assertEquals(201, opened.statusCode(), opened.body());
        JsonNode room = Json.parse(opened.body());
        String id = room.get("id").asText();
        assertEquals("direct", room.get("kind").asText());
        assertEquals("/v1/rooms/" + id, opened.headers().firstValue("Location").orElseThrow());
        assertEquals("bree", room.get("peer").get("user").asText());
        assertEquals("Bree", room.get("peer").get("display_name").asText());
        assertEquals("offline", room.get("peer").get("status").asText());
        assertEquals("private", room.get("visibility").asText());
        assertEquals(2, room.get("last_seq").asLong(), "both are members from the start");

        HttpResponse<String> again = server.rest("PUT", "/v1/direct/abel", "bree", null);
        assertEquals(200, again.statusCode(), "the other side opening it finds the same room");
        JsonNode seen = Json.parse(again.body());
        assertEquals(id, seen.get("id").asText());
        assertEquals("Abel", seen.get("peer").get("display_name").asText());
        JsonNode listed = Json.parse(server.rest("GET", "/v1/rooms", "bree", null).body()).get("rooms").get(0);
        assertEquals(id, listed.get("id").asText());
        assertEquals("abel", listed.get("peer").get("user").asText());
        assertEquals("group", Json.parse(server.rest("POST", "/v1/rooms", "abel", "{\"name\":\"Plain\"}").body())
                .get("kind").asText());

        // Nobody else gets in, nobody leaves, and nobody moderates or renames it.
        String path = "/v1/rooms/" + id;
        assertEquals(403, server.rest("PUT", path + "/members/cody", "abel", null).statusCode());
        assertEquals(403, server.rest("PUT", path + "/members/cody", "cody", null).statusCode());
        assertEquals(403, server.rest("DELETE", path + "/members/bree", "bree", null).statusCode());
        assertEquals(403, server.rest("PUT", path + "/bans/bree", "abel", null).statusCode());
        assertEquals(403, server.rest("PATCH", path, "abel", "{\"name\":\"ours\"}").statusCode());
        assertEquals(403, server.rest("GET", path + "/messages", "cody", null).statusCode());
        HttpResponse<String> self = server.rest("PUT", "/v1/direct/abel", "abel", null);
        assertEquals(400, self.statusCode());
        assertEquals("invalid", error(self).get("code").asText());
    }

    @Test
    void the_directory_lists_open_rooms_by_name_in_pages_and_refuses_bad_queries() {
        String tag = "dir" + System.nanoTime();
        String zulu = server.createRoom("vic", "Zulu " + tag, "open", "wes");
        String able = server.createRoom("wes", "able " + tag, "open");
        server.createRoom("vic", "Hidden " + tag, "private");
        JsonNode first = Json.parse(server.rest("GET", "/v1/directory?limit=1&q=" + tag.toUpperCase(), "xan", null)
                .body());
        assertEquals(able, first.get("rooms").get(0).get("id").asText(), "by name, without case");
        assertEquals(1, first.get("rooms").get(0).get("members").asLong());
        assertTrue(first.get("has_more").asBoolean());
        JsonNode second = Json.parse(server.rest("GET", "/v1/directory?limit=1&q=" + tag + "&cursor="
                + first.get("next").asText(), "xan", null).body());
        assertEquals(zulu, second.get("rooms").get(0).get("id").asText());
        assertEquals(2, second.get("rooms").get(0).get("members").asLong());
        assertFalse(second.get("has_more").asBoolean(), "not the private room");
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + zulu + "/members/xan", "xan", null).statusCode(),
                "a room found there is joined as any open room");
        for (String query : List.of("limit=0", "limit=201", "cursor=%21%21", "cursor=bm8", "q=" + "q".repeat(101))) {
            HttpResponse<String> response = server.rest("GET", "/v1/directory?" + query, "xan", null);
            assertEquals(400, response.statusCode(), query + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText());
        }
    }

    @Test
    void a_request_without_a_valid_token_answers_401_with_www_authenticate() {
        for (String authorization : new String[]{null, "Bearer not-a-jwt", "Basic b2xnYTpzZWNyZXQ="}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.http("/v1/rooms")).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = server.send(request);
            assertEquals(401, response.statusCode(), String.valueOf(authorization));
            assertEquals("unauthorized", error(response).get("code").asText());
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        HttpResponse<String> withQueryToken = server.send(HttpRequest.newBuilder(
                server.http("/v1/rooms?access_token=" + server.token("olga"))).GET());
        assertEquals(200, withQueryToken.statusCode(), "access_token works for REST too");
    }

    @Test
    void a_non_member_gets_403_and_a_missing_room_404() {
        String room = server.createRoom("olga", "Closed", "private");
        for (String path : List.of("/v1/rooms/" + room + "/messages", "/v1/rooms/" + room + "/presence")) {
            HttpResponse<String> response = server.rest("GET", path, "mallory", null);
            assertEquals(403, response.statusCode(), path);
            assertEquals("forbidden", error(response).get("code").asText());
        }
        for (String path : List.of("/v1/rooms/no-such-room/messages", "/v1/rooms/no-such-room/presence")) {
            HttpResponse<String> response = server.rest("GET", path, "olga", null);
            assertEquals(404, response.statusCode(), path);
            assertEquals("not_found", error(response).get("code").asText());
        }
        assertEquals(404, server.rest("PUT", "/v1/rooms/no-such-room/members/olga", "olga", null).statusCode());
    }

    @Test
    void history_pages_newest_first_with_before_and_oldest_first_with_after() {
        String room = server.createRoom("hugo", "History", "open", "ivy");
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            User author = i % 2 == 0 ? User.of("ivy") : User.of("hugo");
            seqs.add(server.server().core().converse().send(author, SendMessage.of(RoomId.of(room), "m" + i))
                    .message().seq());
        }
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs, "seqs 1 and 2 are the member_joined events");

        JsonNode latest = history(room, "limit=3");
        assertEquals(List.of(9L, 8L, 7L), seqsOf(latest));
        assertEquals("m7", latest.get("messages").get(0).get("body").asText());
        assertTrue(latest.get("has_more").asBoolean());
        JsonNode older = history(room, "limit=3&before=7");
        assertEquals(List.of(6L, 5L, 4L), seqsOf(older));
        assertTrue(older.get("has_more").asBoolean());
        JsonNode oldest = history(room, "limit=3&before=4");
        assertEquals(List.of(3L), seqsOf(oldest), "message events only: no member_joined");
        assertFalse(oldest.get("has_more").asBoolean());

        JsonNode forward = history(room, "after=0&limit=4");
        assertEquals(List.of(3L, 4L, 5L, 6L), seqsOf(forward));
        assertTrue(forward.get("has_more").asBoolean());
        JsonNode rest = history(room, "after=6&limit=4");
        assertEquals(List.of(7L, 8L, 9L), seqsOf(rest));
        assertFalse(rest.get("has_more").asBoolean());
        assertEquals(List.of(), seqsOf(history(room, "after=9")));

        JsonNode all = history(room, "");
        assertEquals(7, all.get("messages").size(), "default limit 50");
        JsonNode first = all.get("messages").get(6);
        assertEquals("hugo", first.get("author").asText());
        assertEquals(room, first.get("room").asText());
        assertTrue(first.get("sent_at").asText().endsWith("Z"));
        assertFalse(first.get("deleted").asBoolean());
    }

    @Test
    void history_with_a_bad_limit_or_anchor_answers_400_invalid() {
        String room = server.createRoom("hugo", "Limits", "open");
        assertEquals(200, server.rest("GET", "/v1/rooms/" + room + "/messages?limit=200", "hugo", null).statusCode());
        for (String query : List.of("limit=201", "limit=0", "limit=-1", "limit=ten", "limit=99999999999",
                "before=x", "after=-5", "after=1&before=5")) {
            HttpResponse<String> response = server.rest("GET", "/v1/rooms/" + room + "/messages?" + query, "hugo", null);
            assertEquals(400, response.statusCode(), query + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText(), query);
        }
    }

    @Test
    void the_room_list_comes_in_pages_most_recently_active_first_followed_by_its_next_cursor() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(server.createRoom("pia", "Page " + i, "open"));
        }
        JsonNode whole = roomList("limit=200");
        assertFalse(whole.get("has_more").asBoolean());
        assertFalse(whole.has("next"));
        assertEquals(created.reversed(), StreamSupport.stream(whole.get("rooms").spliterator(), false)
                .map(r -> r.get("id").asText()).toList());

        List<String> paged = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        JsonNode page = roomList("limit=3");
        while (true) {
            sizes.add(page.get("rooms").size());
            page.get("rooms").forEach(r -> paged.add(r.get("id").asText()));
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            page = roomList("limit=3&cursor=" + page.get("next").asText());
        }

        assertEquals(created.reversed(), paged);
        assertEquals(List.of(3, 3, 1), sizes);
        JsonNode first = whole.get("rooms").get(0);
        assertTrue(first.get("last_event_at").asText().endsWith("Z"), first.toString());
    }

    @Test
    void a_room_list_with_a_bad_limit_or_cursor_answers_400_invalid() {
        server.createRoom("quinn", "Cursor", "open");
        for (String query : List.of("limit=201", "limit=0", "limit=-1", "limit=ten", "cursor=", "cursor=%21%21",
                "cursor=bm8tc3BhY2U", "cursor=" + "A".repeat(2000))) {
            HttpResponse<String> response = server.rest("GET", "/v1/rooms?" + query, "quinn", null);
            assertEquals(400, response.statusCode(), query + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText(), query);
        }
    }

    @Test
    void search_finds_the_callers_messages_by_their_words_newest_first_in_pages() {
        String room = server.createRoom("sam", "Search", "open", "tess");
        String elsewhere = server.createRoom("uma", "Elsewhere", "open");
        try (WsClient sam = server.connect("sam"); WsClient uma = server.connect("uma")) {
            sam.ack("send", "room", room, "body", "Release notes for v2 are ready");
            String kraken = sam.ack("send", "room", room, "body", "release the kraken").get("message").get("id")
                    .asText();
            sam.ack("send", "room", room, "body", "ready for the RELEASE?");
            uma.ack("send", "room", elsewhere, "body", "release elsewhere");
            sam.ack("delete", "room", room, "message_id", kraken);
        }
        JsonNode all = search("tess", "q=release");
        assertEquals(List.of("ready for the RELEASE?", "Release notes for v2 are ready"), bodies(all));
        JsonNode first = all.get("results").get(0);
        assertEquals(room, first.get("room").asText());
        assertEquals(5, first.get("seq").asLong(), "two joins, then the three posts");
        assertEquals("sam", first.get("message").get("author").asText());
        assertEquals(List.of("Release notes for v2 are ready"), bodies(search("tess", "q=ready%20v2")));

        JsonNode page = search("tess", "q=release&limit=1");
        assertTrue(page.get("has_more").asBoolean());
        assertEquals(List.of("ready for the RELEASE?"), bodies(page));
        page = search("tess", "q=release&limit=1&cursor=" + page.get("next").asText());
        assertEquals(List.of("Release notes for v2 are ready"), bodies(page));
        assertFalse(page.get("has_more").asBoolean());
        assertFalse(page.has("next"));
    }

    @Test
    void a_search_without_words_or_with_a_bad_limit_or_cursor_answers_400_invalid() {
        for (String query : List.of("", "q=", "q=%21%3F%20-", "q=" + "a".repeat(201), "q=x&limit=0", "q=x&limit=101",
                "q=x&cursor=bm8", "q=x&cursor=" + "A".repeat(2000), "q=a+b+c+d+e+f+g+h+i+j+k")) {
            HttpResponse<String> response = server.rest("GET", "/v1/search?" + query, "tess", null);
            assertEquals(400, response.statusCode(), query + " -> " + response.body());
            assertEquals("invalid", error(response).get("code").asText(), query);
        }
    }

    private JsonNode search(String user, String query) {
        HttpResponse<String> response = server.rest("GET", "/v1/search?" + query, user, null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static List<String> bodies(JsonNode page) {
        return StreamSupport.stream(page.get("results").spliterator(), false)
                .map(r -> r.get("message").get("body").asText()).toList();
    }

    @Test
    void the_owner_adds_and_removes_members_and_a_repeat_changes_nothing() {
        String room = server.createRoom("owen", "Team", "private");
        HttpResponse<String> added = server.rest("PUT", "/v1/rooms/" + room + "/members/pam", "owen", null);
        assertEquals(200, added.statusCode(), added.body());
        JsonNode joined = Json.parse(added.body());
        assertEquals("member_joined", joined.get("type").asText());
        assertEquals("pam", joined.get("user").asText());
        assertEquals(2, joined.get("seq").asLong());
        assertEquals(204, server.rest("PUT", "/v1/rooms/" + room + "/members/pam", "owen", null).statusCode(),
                "already a member");
        assertEquals(200, server.rest("GET", "/v1/rooms/" + room + "/messages", "pam", null).statusCode());

        HttpResponse<String> removed = server.rest("DELETE", "/v1/rooms/" + room + "/members/pam", "owen", null);
        assertEquals(200, removed.statusCode());
        assertEquals("member_left", Json.parse(removed.body()).get("type").asText());
        assertEquals(204, server.rest("DELETE", "/v1/rooms/" + room + "/members/pam", "owen", null).statusCode(),
                "not a member any more");
        assertEquals(403, server.rest("GET", "/v1/rooms/" + room + "/messages", "pam", null).statusCode());
    }

    @Test
    void membership_rules_refuse_with_403() {
        String open = server.createRoom("owen", "Open", "open", "max");
        String closed = server.createRoom("owen", "Private", "private", "max");

        assertForbidden(server.rest("PUT", "/v1/rooms/" + open + "/members/nia", "max", null),
                "a member who is not the owner cannot add others");
        assertForbidden(server.rest("DELETE", "/v1/rooms/" + open + "/members/owen", "max", null),
                "nobody removes the owner");
        assertForbidden(server.rest("PUT", "/v1/rooms/" + closed + "/members/nia", "nia", null),
                "no self-join of a private room");
        assertForbidden(server.rest("DELETE", "/v1/rooms/" + closed + "/members/owen", "owen", null),
                "the owner cannot leave");

        assertEquals(200, server.rest("PUT", "/v1/rooms/" + open + "/members/nia", "nia", null).statusCode(),
                "self-join of an open room");
        assertForbidden(server.rest("DELETE", "/v1/rooms/" + open + "/members/nia", "max", null),
                "a member who is not the owner cannot remove others");
        assertEquals(200, server.rest("DELETE", "/v1/rooms/" + closed + "/members/max", "max", null).statusCode(),
                "anyone may leave");
        assertEquals(200, server.rest("DELETE", "/v1/rooms/" + open + "/members/nia", "nia", null).statusCode());
    }

    @Test
    void presence_lists_every_member_including_offline_ones() {
        String room = server.createRoom("vera", "Who is here", "open", "walt", "xena");
        try (WsClient walt = server.connect("walt")) {
            walt.ack("presence", "status", "away");
            HttpResponse<String> response = server.rest("GET", "/v1/rooms/" + room + "/presence", "vera", null);
            assertEquals(200, response.statusCode());
            Map<String, String> statuses = new java.util.TreeMap<>();
            for (JsonNode member : Json.parse(response.body()).get("members")) {
                statuses.put(member.get("user").asText(), member.get("status").asText());
                assertTrue(member.get("last_seen").asText().endsWith("Z"), member.toString());
            }
            assertEquals(Map.of("vera", "offline", "walt", "away", "xena", "offline"), statuses);
        }
    }

    @Test
    void a_page_on_an_allowed_origin_may_call_rest_across_origins_and_other_origins_get_403() {
        String room = server.createRoom("olga", "Cross-origin", "open");
        for (String path : List.of("/v1/rooms", "/v1/rooms/" + room, "/v1/rooms/" + room + "/members/olga",
                "/v1/rooms/" + room + "/messages", "/v1/rooms/" + room + "/presence")) {
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.http(path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", TestServer.ORIGIN).header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "authorization, content-type"));
            assertEquals(204, preflight.statusCode(), path);
            assertEquals(TestServer.ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PUT"), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PATCH"), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                    .contains("Authorization"), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Credentials").isEmpty(),
                    "tokens are sent explicitly, never cookies");

            HttpResponse<String> evil = server.send(HttpRequest.newBuilder(server.http(path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET"));
            assertForbidden(evil, "a preflight from another origin");
            assertTrue(evil.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }

        HttpResponse<String> listed = server.send(HttpRequest.newBuilder(server.http("/v1/rooms"))
                .header("Authorization", "Bearer " + server.token("olga")).header("Origin", TestServer.ORIGIN));
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(TestServer.ORIGIN, listed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("Origin", listed.headers().firstValue("Vary").orElse(""));
        assertTrue(listed.body().contains(room));

        HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.http("/v1/rooms"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Phished\"}"))
                .header("Authorization", "Bearer " + server.token("olga")).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example"));
        assertForbidden(refused, "a request from another origin");
        assertFalse(roomNames("olga").contains("Phished"), "the refused request changed nothing");

        HttpResponse<String> unauthenticated = server.send(HttpRequest.newBuilder(server.http("/v1/rooms"))
                .header("Origin", TestServer.ORIGIN));
        assertEquals(401, unauthenticated.statusCode());
        assertEquals(TestServer.ORIGIN, unauthenticated.headers().firstValue("Access-Control-Allow-Origin")
                .orElse(""), "the page can read why it was refused");
    }

    @Test
    void unknown_endpoints_answer_404() {
        assertEquals(404, server.rest("GET", "/v1/nothing-here", "olga", null).statusCode());
    }

    private static void assertForbidden(HttpResponse<String> response, String why) {
        assertEquals(403, response.statusCode(), why + ": " + response.body());
        assertEquals("forbidden", error(response).get("code").asText(), why);
    }

    private static JsonNode error(HttpResponse<String> response) {
        return Json.parse(response.body()).get("error");
    }

    private static JsonNode roomList(String query) {
        HttpResponse<String> response = server.rest("GET", "/v1/rooms?" + query, "pia", null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static JsonNode history(String room, String query) {
        HttpResponse<String> response = server.rest("GET", "/v1/rooms/" + room + "/messages?" + query, "ivy", null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }

    private static List<Long> seqsOf(JsonNode page) {
        return StreamSupport.stream(page.get("messages").spliterator(), false)
                .map(m -> m.get("seq").asLong())
                .toList();
    }

    private static List<String> roomIds(String user) {
        return rooms(user, "id");
    }

    private static List<String> roomNames(String user) {
        return rooms(user, "name");
    }

    private static List<String> rooms(String user, String field) {
        JsonNode rooms = Json.parse(server.rest("GET", "/v1/rooms", user, null).body()).get("rooms");
        return StreamSupport.stream(rooms.spliterator(), false).map(r -> r.get(field).asText()).toList();
    }
}
