package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorisation matrix (issue 12 item 7, issue 14 item 3): every command and endpoint that names a room,
 * tried by every kind of caller on a private room, each against the outcome docs/protocol.md documents. Real server, real
 * WebSocket and HTTP clients. All failures are collected, so one run shows the whole matrix. Commands posted
 * over SSE and long-poll run through the same command handler, so the WebSocket rows stand for them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the command matrix ends with the member leaving the room
class AuthorizationMatrixTest {
    /**
     * Who asks: the room's owner, an admin, a member, a member removed, a member banned, a user never in it, a
     * member of another room.
     */
    enum Role {
        OWNER("olga"), ADMIN("ada"), MEMBER("mia"), REMOVED("rex"), BANNED("bea"), NON_MEMBER("nia"),
        OTHERS_MEMBER("oscar");

        final String user;

        Role(String user) {
            this.user = user;
        }
    }

    private static TestServer server;
    private static String room;
    private static final Map<Role, WsClient> clients = new EnumMap<>(Role.class);
    private final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        room = server.createRoom(Role.OWNER.user, "Matrix", "private", Role.ADMIN.user, Role.MEMBER.user,
                Role.REMOVED.user, Role.BANNED.user);
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/members/" + Role.ADMIN.user + "/role",
                Role.OWNER.user, "{\"role\":\"admin\"}").statusCode());
        assertEquals(200, server.rest("DELETE", "/v1/rooms/" + room + "/members/" + Role.REMOVED.user,
                Role.OWNER.user, null).statusCode());
        assertEquals(200, server.rest("PUT", "/v1/rooms/" + room + "/bans/" + Role.BANNED.user,
                Role.OWNER.user, null).statusCode());
        server.createRoom(Role.OTHERS_MEMBER.user, "Elsewhere", "private");
        for (Role role : Role.values()) {
            clients.put(role, server.connect(role.user));
        }
    }

    @AfterAll
    static void stop() {
        clients.values().forEach(WsClient::close);
        server.close();
    }

    @Test
    @Order(4)
    void every_command_on_a_private_room_gives_each_caller_its_documented_outcome() {
        String members = "ack ack ack forbidden forbidden forbidden forbidden";
        expect("subscribe", members, "room", room);
        expect("send", members, "room", room, "body", "hello");
        expect("read", members, "room", room, "seq", 1);
        expect("typing", members, "room", room, "active", true);
        expect("join", members, "room", room); // private: only members (no-op); banned: refused
        expect("unsubscribe", "ack ack ack ack ack ack ack", "room", room); // nothing to stop is not an error

        String mias = send(Role.MEMBER, "mine");
        expect("edit", "forbidden forbidden ack forbidden forbidden forbidden forbidden", "room", room,
                "message_id", mias, "body", "edited");
        // delete: the author, the owner or an admin; the others first (the message is gone after).
        for (Role role : List.of(Role.REMOVED, Role.BANNED, Role.NON_MEMBER, Role.OTHERS_MEMBER)) {
            check(role, "delete", "forbidden", "room", room, "message_id", mias);
        }
        check(Role.ADMIN, "delete", "ack", "room", room, "message_id", mias);
        check(Role.OWNER, "delete", "ack", "room", room, "message_id", send(Role.MEMBER, "again"));
        check(Role.MEMBER, "delete", "ack", "room", room, "message_id", send(Role.MEMBER, "my own"));
        check(Role.MEMBER, "delete", "forbidden", "room", room, "message_id", send(Role.ADMIN, "the admin's"));
        String liked = send(Role.OWNER, "react to me");
        expect("react", members, "room", room, "message_id", liked, "emoji", "👍");
        expect("unreact", members, "room", room, "message_id", liked, "emoji", "👍");

        // A room that does not exist: not_found for everyone, whatever they are elsewhere.
        for (Role role : Role.values()) {
            check(role, "send", "not_found", "room", "no-such-room", "body", "x");
            check(role, "subscribe", "not_found", "room", "no-such-room");
        }
        // leave: the owner may not; a non-member's leave changes nothing; the member's is last (it changes the room).
        expect("leave", "forbidden skip skip ack ack ack ack", "room", room);
        check(Role.MEMBER, "leave", "ack", "room", room);
        check(Role.MEMBER, "send", "forbidden", "room", room, "body", "after leaving");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private String send(Role role, String body) {
        return clients.get(role).ack("send", "room", room, "body", body).get("message").get("id").asText();
    }

    @Test
    @Order(1)
    void every_rest_endpoint_on_a_private_room_gives_each_caller_its_documented_status() {
        String path = "/v1/rooms/" + room;
        String members = "200 200 200 403 403 403 403";
        restExpect("GET", path + "/messages", members);
        restExpect("GET", path + "/presence", members);
        restExpect("GET", path, members);
        restExpect("GET", path + "/members", members);
        restExpect("GET", path + "/bans", "200 200 403 403 403 403 403");
        // Settings: the owner and admins; the admin's identical change after the owner's changes nothing (204).
        restExpect("PATCH", path, "{\"topic\":\"matrix\"}", "200 204 403 403 403 403 403");
        // Adding or removing someone else: the owner and admins (zed is added, then removed; the admin's repeat
        // changes nothing).
        restExpect("PUT", path + "/members/zed", "200 204 403 403 403 403 403");
        restExpect("DELETE", path + "/members/zed", "200 204 403 403 403 403 403");
        restCheck(Role.ADMIN, "PUT", path + "/members/zoe", 200);
        restCheck(Role.ADMIN, "DELETE", path + "/members/zoe", 200);
        restCheck(Role.ADMIN, "DELETE", path + "/members/" + Role.OWNER.user, 403);
        // Bans: the owner and admins, never the owner, an admin only by the owner.
        restExpect("PUT", path + "/bans/eve", "200 204 403 403 403 403 403");
        restExpect("DELETE", path + "/bans/eve", "200 204 403 403 403 403 403");
        restCheck(Role.ADMIN, "PUT", path + "/bans/" + Role.OWNER.user, 403);
        restCheck(Role.MEMBER, "PUT", path + "/bans/" + Role.ADMIN.user, 403);
        // The banned member stays out: joining is refused, and so is adding them until they are unbanned.
        restCheck(Role.BANNED, "PUT", path + "/members/" + Role.BANNED.user, 403);
        restCheck(Role.ADMIN, "PUT", path + "/members/" + Role.BANNED.user, 403);
        // Roles: the owner's alone (mia is made admin, then member again).
        restExpect("PUT", path + "/members/" + Role.MEMBER.user + "/role", "{\"role\":\"admin\"}",
                "200 403 403 403 403 403 403");
        restCheck(Role.OWNER, "PUT", path + "/members/" + Role.MEMBER.user + "/role", "{\"role\":\"member\"}", 200);
        restCheck(Role.OWNER, "PUT", path + "/members/" + Role.NON_MEMBER.user + "/role", "{\"role\":\"admin\"}",
                404);
        restCheck(Role.OWNER, "PUT", path + "/members/" + Role.MEMBER.user + "/role", "{\"role\":\"owner\"}", 400);
        // Handing over: the owner's alone, to a member (the successful hand-over is its own test).
        restExpect("PUT", path + "/owner", "{\"user\":\"" + Role.NON_MEMBER.user + "\"}",
                "404 403 403 403 403 403 403");
        // Deleting: the owner's alone (the owner's deletion is RestApiTest's; this room lives on).
        for (Role role : Role.values()) {
            if (role != Role.OWNER) {
                restCheck(role, "DELETE", path, 403);
            }
            restCheck(role, "DELETE", "/v1/rooms/no-such-room", 404);
        }
        for (Role role : Role.values()) {
            restCheck(role, "GET", "/v1/rooms/no-such-room/messages", 404);
            restCheck(role, "GET", "/v1/rooms/no-such-room", 404);
            restCheck(role, "PATCH", "/v1/rooms/no-such-room", "{\"topic\":\"x\"}", 404);
            restCheck(role, "PUT", "/v1/rooms/no-such-room/bans/zed", 404);
        }
        for (String[] request : new String[][] {{"GET", "/v1/rooms"}, {"POST", "/v1/rooms"}, {"GET", path + "/messages"},
                {"GET", path + "/presence"}, {"PUT", path + "/members/zed"}, {"DELETE", path + "/members/zed"},
                {"GET", path}, {"PATCH", path}, {"GET", path + "/members"}, {"PUT", path + "/members/zed/role"},
                {"PUT", path + "/owner"}, {"GET", path + "/bans"}, {"PUT", path + "/bans/zed"},
                {"DELETE", path + "/bans/zed"}, {"GET", "/v1/directory"}, {"PUT", "/v1/direct/zed"},
                {"DELETE", path}}) {
            int status = server.send(HttpRequest.newBuilder(server.http(request[1]))
                    .method(request[0], HttpRequest.BodyPublishers.noBody())).statusCode();
            if (status != 401) {
                failures.add("no token: " + request[0] + " " + request[1] + " -> " + status + ", documented 401");
            }
        }
        assertEquals(401, WsClient.refusedStatus(() -> WsClient.connect(server.ws(), null, TestServer.ORIGIN)));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(2)
    void the_owner_hands_the_room_over_and_may_then_leave_as_an_admin() {
        String handed = server.createRoom(Role.OWNER.user, "Handed", "private", Role.MEMBER.user);
        String path = "/v1/rooms/" + handed;
        restCheck(Role.OWNER, "PUT", path + "/members/" + Role.MEMBER.user + "/role", "{\"role\":\"admin\"}", 200);
        restCheck(Role.MEMBER, "PUT", path + "/owner", "{\"user\":\"" + Role.MEMBER.user + "\"}", 403);
        restCheck(Role.OWNER, "PUT", path + "/owner", "{\"user\":\"" + Role.MEMBER.user + "\"}", 200);
        restCheck(Role.OWNER, "PUT", path + "/owner", "{\"user\":\"" + Role.MEMBER.user + "\"}", 403);
        // The former owner is an admin now: moderates, but names no admins and may leave.
        restCheck(Role.OWNER, "PUT", path + "/members/" + Role.MEMBER.user + "/role", "{\"role\":\"member\"}", 403);
        restCheck(Role.OWNER, "PATCH", path, "{\"topic\":\"still moderating\"}", 200);
        restCheck(Role.MEMBER, "DELETE", path + "/members/" + Role.MEMBER.user, 403);
        restCheck(Role.OWNER, "DELETE", path + "/members/" + Role.OWNER.user, 200);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(3)
    void an_archived_room_is_read_only_for_everyone_until_its_owner_unarchives_it() {
        String archived = server.createRoom(Role.OWNER.user, "Archive", "open", Role.MEMBER.user);
        String path = "/v1/rooms/" + archived;
        String mias = clients.get(Role.MEMBER).ack("send", "room", archived, "body", "before").get("message").get("id")
                .asText();
        restCheck(Role.OWNER, "PATCH", path, "{\"archived\":true}", 200);

        String readOnly = "forbidden forbidden forbidden forbidden forbidden forbidden forbidden";
        expect("send", readOnly, "room", archived, "body", "after");
        expect("typing", readOnly, "room", archived, "active", true);
        expect("react", readOnly, "room", archived, "message_id", mias, "emoji", "👍");
        expect("join", "ack forbidden ack forbidden forbidden forbidden forbidden", "room", archived); // members: no-op
        check(Role.MEMBER, "edit", "forbidden", "room", archived, "message_id", mias, "body", "edited");
        check(Role.OWNER, "delete", "forbidden", "room", archived, "message_id", mias);
        restExpect("PUT", path + "/members/zed", "403 403 403 403 403 403 403");
        // What reads or only concerns the caller still works.
        expect("subscribe", "ack forbidden ack forbidden forbidden forbidden forbidden", "room", archived);
        expect("read", "ack forbidden ack forbidden forbidden forbidden forbidden", "room", archived, "seq", 3);
        restExpect("GET", path + "/messages", "200 403 200 403 403 403 403");
        restExpect("GET", path, "200 403 200 403 403 403 403");
        // Only unarchiving changes it; the owner may change other settings along with it.
        restCheck(Role.OWNER, "PATCH", path, "{\"topic\":\"still archived\"}", 403);
        restCheck(Role.MEMBER, "PATCH", path, "{\"archived\":false}", 403);
        restCheck(Role.OWNER, "PATCH", path, "{\"archived\":false,\"topic\":\"back\"}", 200);
        check(Role.MEMBER, "send", "ack", "room", archived, "body", "after unarchiving");
        check(Role.MEMBER, "leave", "ack", "room", archived);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** {@code outcomes}: one word per role, in {@link Role} order ("skip" leaves a role out). */
    private void expect(String command, String outcomes, Object... fields) {
        String[] each = outcomes.split(" ");
        for (Role role : Role.values()) {
            if (!each[role.ordinal()].equals("skip")) {
                check(role, command, each[role.ordinal()], fields);
            }
        }
    }

    private void check(Role role, String command, String outcome, Object... fields) {
        JsonNode reply = clients.get(role).command(command, fields);
        String got = reply.path("type").asText().equals("error") ? reply.path("code").asText() : reply.path("type").asText();
        if (!got.equals(outcome)) {
            failures.add(role + " " + command + ": got " + reply + ", documented " + outcome);
        }
    }

    private void restExpect(String method, String path, String statuses) {
        restExpect(method, path, null, statuses);
    }

    private void restExpect(String method, String path, String body, String statuses) {
        String[] each = statuses.split(" ");
        for (Role role : Role.values()) {
            restCheck(role, method, path, body, Integer.parseInt(each[role.ordinal()]));
        }
    }

    private void restCheck(Role role, String method, String path, int expected) {
        restCheck(role, method, path, null, expected);
    }

    private void restCheck(Role role, String method, String path, String body, int expected) {
        int status = server.rest(method, path, role.user, body).statusCode();
        if (status != expected) {
            failures.add(role + " " + method + " " + path + " -> " + status + ", documented " + expected);
        }
    }
}
