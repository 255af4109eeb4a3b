package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.adapters.rest.ServerKeys;
import io.parley.testservices.EmbeddedRedisServer;
import io.parley.testservices.TestRedis;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.parley.bootstrap.RedisNodes.messageSeqs;
import static io.parley.bootstrap.RedisNodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several Parley servers behind "a load balancer" (clients pick a node), sharing one store and one Redis:
 * clients on different nodes see the same room, and survive a node crash and a Redis outage without losing or
 * duplicating an event.
 */
class MultiNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void clients_on_different_nodes_chat_edit_delete_type_mark_read_and_see_each_others_presence() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Across", "private", "bob");
            try (WsClient alice = a.connect("alice")) {
                alice.ack("subscribe", "room", room);
                WsClient bob = b.connect("bob");
                assertEquals("online", alice.expect(presenceOf("bob")).get("status").asText());
                bob.ack("subscribe", "room", room);

                long hi = alice.ack("send", "room", room, "body", "hi bob").get("message").get("seq").asLong();
                JsonNode received = bob.expect("message");
                assertEquals(hi, received.get("seq").asLong());
                assertEquals("hi bob", received.get("message").get("body").asText());
                bob.ack("send", "room", room, "body", "hi alice");
                assertEquals("hi alice", alice.expect(e -> e.path("type").asText().equals("message")
                        && e.get("message").get("author").asText().equals("bob")).get("message").get("body").asText());

                String id = received.get("message").get("id").asText();
                alice.ack("edit", "room", room, "message_id", id, "body", "hi, bob");
                assertEquals("hi, bob", bob.expect("message_edited").get("body").asText());
                alice.ack("delete", "room", room, "message_id", id);
                assertEquals(id, bob.expect("message_deleted").get("message_id").asText());

                bob.ack("typing", "room", room, "active", true);
                JsonNode typing = alice.expect("typing");
                assertEquals("bob", typing.get("user").asText());
                assertTrue(typing.get("active").asBoolean());
                bob.ack("typing", "room", room, "active", false);
                assertTrue(!alice.expect("typing").get("active").asBoolean());

                bob.ack("read", "room", room, "seq", hi);
                JsonNode read = alice.expect("read");
                assertEquals("bob", read.get("user").asText());
                assertEquals(hi, read.get("up_to").asLong());

                bob.ack("presence", "status", "away");
                assertEquals("away", alice.expect(presenceOf("bob")).get("status").asText());
                bob.close();
                assertEquals("offline", alice.expect(presenceOf("bob")).get("status").asText());

                assertEquals(seqsOfType(alice, room), seqsOfType(alice, room).stream().sorted().distinct().toList());
                List<Long> both = alice.durable(room).stream().map(e -> e.get("seq").asLong()).toList();
                assertEquals(both, bob.durable(room).stream().map(e -> e.get("seq").asLong()).toList(),
                        "both members saw the same durable events in the same order");
            }
        }
    }

    @Test
    void a_member_joining_on_another_node_is_announced_with_their_current_status() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Joiners across", "open");
            try (WsClient alice = a.connect("alice"); WsClient carl = b.connect("carl")) {
                alice.ack("subscribe", "room", room);
                carl.ack("join", "room", room);
                assertEquals("carl", alice.expect("member_joined").get("user").asText());
                assertEquals("online", alice.expect(presenceOf("carl")).get("status").asText(),
                        "the joiner's status, read from the shared registry on b, reaches a's client");
            }
        }
    }

    @Test
    void settings_replies_mentions_and_reactions_made_on_one_node_reach_subscribers_on_another() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Across", "open", "carl");
            try (WsClient carl = b.connect("carl")) {
                carl.ack("subscribe", "room", room);
                assertEquals(200, a.rest("PATCH", "/v1/rooms/" + room, "alice",
                        "{\"archived\":true,\"metadata\":{\"deal\":\"9\"}}").statusCode());
                JsonNode updated = carl.expect("room_updated");
                assertTrue(updated.get("archived").asBoolean());
                assertEquals("9", updated.get("metadata").get("deal").asText());
                assertEquals("forbidden", carl.command("send", "room", room, "body", "x").get("code").asText(),
                        "b reads the archived flag from the shared store");
                assertEquals(200, a.rest("PATCH", "/v1/rooms/" + room, "alice", "{\"archived\":false}").statusCode());
                carl.expect("room_updated");
                // a reply with a mention and a reaction, made on b, reach a's client as they were made
                try (WsClient alice = a.connect("alice")) {
                    alice.ack("subscribe", "room", room);
                    String first = alice.ack("send", "room", room, "body", "first").get("message").get("id").asText();
                    carl.ack("send", "room", room, "body", "second", "reply_to", first, "mentions", List.of("alice"));
                    JsonNode reply = alice.expect(e -> e.path("type").asText().equals("message")
                            && e.get("message").get("body").asText().equals("second")).get("message");
                    assertEquals("first", reply.get("reply_to").get("excerpt").asText());
                    assertEquals("[\"alice\"]", reply.get("mentions").toString());
                    carl.ack("react", "room", room, "message_id", first, "emoji", "👍");
                    assertEquals("carl", alice.expect("reaction_added").get("user").asText());
                }
            }
        }
    }

    @Test
    void a_ban_on_one_node_ends_the_banned_members_sessions_on_another() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Banned across", "open", "carl");
            try (WsClient alice = a.connect("alice"); WsClient carl = b.connect("carl")) {
                carl.ack("subscribe", "room", room);
                alice.ack("subscribe", "room", room);
                assertEquals(200, a.rest("PUT", "/v1/rooms/" + room + "/bans/carl", "alice", null).statusCode());
                assertEquals("alice", carl.expect("member_banned").get("by").asText());
                alice.ack("send", "room", room, "body", "carl is gone");
                alice.expect("message");
                assertTrue(carl.maybe(e -> e.path("type").asText().equals("message"), Duration.ofMillis(500)).isEmpty());
                assertEquals("forbidden", carl.command("join", "room", room).get("code").asText(),
                        "b reads the ban from the shared store");
            }
        }
    }

    @Test
    void two_people_opening_their_conversation_at_once_on_two_nodes_get_one_room() throws Exception {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri());
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            for (int i = 0; i < 10; i++) {
                String ann = "ann" + i;
                String ben = "ben" + i;
                CountDownLatch go = new CountDownLatch(1);
                Future<HttpResponse<String>> fromA = pool.submit(() -> {
                    go.await();
                    return a.rest("PUT", "/v1/direct/" + ben, ann, null);
                });
                Future<HttpResponse<String>> fromB = pool.submit(() -> {
                    go.await();
                    return b.rest("PUT", "/v1/direct/" + ann, ben, null);
                });
                go.countDown();
                HttpResponse<String> first = fromA.get(10, TimeUnit.SECONDS);
                HttpResponse<String> second = fromB.get(10, TimeUnit.SECONDS);
                assertEquals(List.of(201, 200), Stream.of(first.statusCode(), second.statusCode()).sorted(
                        Comparator.reverseOrder()).toList(), "one created it, the other found it");
                String id = Json.parse(first.body()).get("id").asText();
                assertEquals(id, Json.parse(second.body()).get("id").asText());
                JsonNode room = Json.parse(b.rest("GET", "/v1/rooms/" + id, ann, null).body());
                assertEquals(2, room.get("last_seq").asLong(), "two joins, once");
            }
        }
    }

    @Test
    void a_backend_making_sure_of_a_room_on_two_nodes_at_once_gets_one_room() throws Exception {
        String key = "pk_two-node-test-key";
        Map<String, String> serverApi = Map.of("parley.server-api.keys",
                "crm:" + ServerKeys.sha256(key) + ":rooms+messages+read");
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri());
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            TestServer a = nodes.start(serverApi);
            TestServer b = nodes.start(serverApi);
            for (int i = 0; i < 10; i++) {
                String path = "/v1/server/rooms/deal-" + i;
                String body = "{\"owner\":\"manager\",\"name\":\"Deal " + i + "\",\"members\":[\"ann\"]}";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> calls = Stream.of(a, b).map(node -> pool.submit(() -> {
                    go.await();
                    return node.send(HttpRequest.newBuilder(node.http(path))
                            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body)));
                })).toList();
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> call : calls) {
                    statuses.add(call.get(10, TimeUnit.SECONDS).statusCode());
                }
                assertEquals(List.of(201, 200), statuses.stream().sorted(Comparator.reverseOrder()).toList(),
                        "one created it, the other found it");
                JsonNode room = Json.parse(b.rest("GET", "/v1/rooms/deal-" + i, "ann", null).body());
                assertEquals(2, room.get("last_seq").asLong(), "the owner and ann joined, once each");
            }
        }
    }

    @Test
    void a_revocation_on_one_node_closes_the_users_sessions_on_another_and_both_refuse_the_old_token() {
        String key = "pk_two-node-users-key";
        Map<String, String> serverApi = Map.of("parley.server-api.keys", "crm:" + ServerKeys.sha256(key) + ":users");
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start(serverApi);
            TestServer b = nodes.start(serverApi);
            String old = b.tokenIssued("hal", Duration.ofMinutes(5));
            try (WsClient hal = WsClient.connect(b.ws(), old, TestServer.ORIGIN);
                 WsClient ivy = b.connect("ivy")) {
                hal.expect("welcome");
                HttpResponse<String> revoked = a.send(HttpRequest.newBuilder(a.http("/v1/server/users/hal/revoke"))
                        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()));
                assertEquals(200, revoked.statusCode(), revoked.body());

                assertEquals(4001, hal.awaitClose(WAIT), "closed on the other node");
                assertTrue(!ivy.isClosed(), "nobody else's");
            }
            for (TestServer node : List.of(a, b)) {
                assertEquals(401, node.send(HttpRequest.newBuilder(node.http("/v1/rooms"))
                        .header("Authorization", "Bearer " + old)).statusCode());
            }
        }
    }

    @Test
    void a_killed_nodes_users_go_offline_within_the_ttl_and_its_clients_resume_on_another_node() {
        try (RedisNodes nodes = new RedisNodes(TestRedis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Crash", "private", "bob");
            try (WsClient alice = a.connect("alice")) {
                alice.ack("subscribe", "room", room);
                WsClient bob = b.connect("bob");
                alice.expect(presenceOf("bob"));
                bob.ack("subscribe", "room", room);
                List<Long> sent = new ArrayList<>(send(alice, room, "before-", 5));
                bob.awaitMatching(e -> e.path("type").asText().equals("message"), 5, WAIT);

                long killedAt = System.nanoTime();
                b.server().halt();
                assertEquals(1006, bob.awaitClose(WAIT));
                sent.addAll(send(alice, room, "during-", 5));
                JsonNode offline = alice.expect(presenceOf("bob"));
                Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
                assertEquals("offline", offline.get("status").asText());
                assertTrue(took.compareTo(RedisNodes.PRESENCE_TTL.plus(RedisNodes.PRESENCE_SWEEP).plusSeconds(1)) < 0,
                        "bob went offline after " + took);

                // bob's client reconnects to the surviving node and resumes from the last seq it saw.
                List<Long> beforeCrash = messageSeqs(bob, room);
                try (WsClient again = a.connect("bob")) {
                    assertEquals("online", alice.expect(presenceOf("bob")).get("status").asText());
                    again.ack("subscribe", "room", room, "after", beforeCrash.getLast());
                    sent.addAll(send(alice, room, "after-", 5));
                    again.awaitMatching(e -> e.path("type").asText().equals("message"), 10, WAIT);
                    List<Long> all = new ArrayList<>(beforeCrash);
                    all.addAll(messageSeqs(again, room));
                    assertEquals(sent, all, "bob's messages across the crash: complete, in order, no duplicates");
                }
            }
        }
    }

    @Test
    void when_redis_stops_sends_are_stored_local_clients_keep_receiving_readiness_fails_and_all_catch_up() {
        try (EmbeddedRedisServer redis = TestRedis.startPrivateServer();
             RedisNodes nodes = new RedisNodes(redis.uri())) {
            TestServer a = nodes.start();
            TestServer b = nodes.start();
            String room = a.createRoom("alice", "Outage", "private", "bob", "carol");
            try (WsClient alice = a.connect("alice"); WsClient carol = a.connect("carol");
                 WsClient bob = b.connect("bob")) {
                for (WsClient client : List.of(alice, carol, bob)) {
                    client.ack("subscribe", "room", room);
                }
                List<Long> sent = new ArrayList<>(send(alice, room, "before-", 5));
                awaitMessages(List.of(alice, carol, bob), room, sent.size());
                assertEquals(200, nodes.readiness(a));

                redis.stop();
                RedisNodes.await("readiness 503", WAIT, () -> nodes.readiness(a) == 503);
                List<Long> during = send(alice, room, "during-", 10);
                sent.addAll(during);
                // carol is on alice's node: she receives without Redis.
                carol.awaitMatching(isMessage(), sent.size(), WAIT);
                redis.restart();

                RedisNodes.await("readiness 200", WAIT, () -> nodes.readiness(a) == 200 && nodes.readiness(b) == 200);
                // bob's node catches up from the store after it resubscribed, before anything new is sent.
                bob.awaitMatching(isMessage(), sent.size(), WAIT);
                sent.addAll(send(alice, room, "after-", 5));
                awaitMessages(List.of(alice, carol, bob), room, sent.size());

                List<Long> expected = LongStream.rangeClosed(sent.getFirst(), sent.getLast()).boxed().toList();
                assertEquals(expected, sent, "only messages were appended meanwhile");
                for (WsClient client : List.of(alice, carol, bob)) {
                    assertEquals(expected, messageSeqs(client, room), "complete, ordered, without duplicates");
                }
            }
        }
    }

    private static void awaitMessages(List<WsClient> clients, String room, int count) {
        for (WsClient client : clients) {
            client.awaitMatching(e -> isMessage().test(e) && room.equals(e.path("room").asText()), count, WAIT);
        }
    }

    private static Predicate<JsonNode> isMessage() {
        return e -> e.path("type").asText().equals("message");
    }

    private static Predicate<JsonNode> presenceOf(String user) {
        return e -> e.path("type").asText().equals("presence") && e.path("user").asText().equals(user);
    }

    private static List<Long> seqsOfType(WsClient client, String room) {
        return client.durable(room).stream().map(e -> e.get("seq").asLong()).toList();
    }
}
