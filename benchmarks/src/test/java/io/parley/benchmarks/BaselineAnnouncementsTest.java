package io.parley.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The baseline announces joins and presence as protocol v1 does, so a connect storm compares the framework
 * and Parley doing the same job; with {@code --no-announce} a join is a bare ack.
 */
class BaselineAnnouncementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Target.Tokens TOKENS =
            new Target("baseline", "127.0.0.1", 1, "any-secret-any-secret-any-secret-0123", OptionalLong.empty()).tokens();
    private final List<BaselineServer> servers = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(c -> c.socket.abort());
        servers.forEach(BaselineServer::stop);
    }

    @Test
    void a_first_join_is_announced_with_a_seq_and_the_joiners_presence_and_sockets_turn_presence_on_and_off() throws Exception {
        BaselineServer server = start(true);
        String room = room(server);
        Client ann = connect(server, "ann");
        ann.command("join", room, "j");
        ann.command("subscribe", room, "s");

        Client bob = connect(server, "bob");
        bob.command("join", room, "j");
        JsonNode joined = ann.next("member_joined");
        assertEquals("bob", joined.path("user").asText());
        assertEquals(2, joined.path("seq").asLong(), "ann's own join took seq 1");
        assertEquals("online", ann.next("presence").path("status").asText());

        bob.command("join", room, "j2"); // a member again: no event
        bob.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        JsonNode offline = ann.next("presence");
        assertEquals("bob", offline.path("user").asText());
        assertEquals("offline", offline.path("status").asText());

        connect(server, "bob");
        JsonNode online = ann.next("presence");
        assertEquals("bob", online.path("user").asText());
        assertEquals("online", online.path("status").asText());
    }

    @Test
    void without_announcements_a_join_is_a_bare_ack() throws Exception {
        BaselineServer server = start(false);
        String room = room(server);
        Client ann = connect(server, "ann");
        ann.command("subscribe", room, "s");
        Client bob = connect(server, "bob");
        bob.command("join", room, "j");
        bob.command("{\"type\":\"send\",\"room\":\"" + room + "\",\"body\":\"hi\",\"ref\":\"m\"}");
        // the first thing ann hears after her own ack is bob's message, seq 1: his join took none
        JsonNode first = ann.poll();
        assertEquals("message", first.path("type").asText(), first.toString());
        assertEquals(1, first.path("seq").asLong());
    }

    private BaselineServer start(boolean announce) {
        BaselineServer server = BaselineServer.start("127.0.0.1", 0, 0, announce);
        servers.add(server);
        return server;
    }

    private static String room(BaselineServer server) {
        return new Target("baseline", "127.0.0.1", server.port(), "any-secret-any-secret-any-secret-0123",
                OptionalLong.empty()).createRoom(TOKENS, "owner", "r");
    }

    private Client connect(BaselineServer server, String user) throws Exception {
        Client client = new Client();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKENS.token(user))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), client)
                .get(5, TimeUnit.SECONDS);
        assertEquals(user, client.next("welcome").path("user").asText());
        clients.add(client);
        return client;
    }

    /** A WebSocket client that queues every event it receives. */
    private static final class Client implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    events.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        /** Sends a command about a room and waits for its ack. */
        void command(String type, String room, String ref) throws Exception {
            command("{\"type\":\"" + type + "\",\"room\":\"" + room + "\",\"ref\":\"" + ref + "\"}");
        }

        /** Sends a command and waits for its ack. */
        void command(String json) throws Exception {
            String ref = JSON.readTree(json).path("ref").asText();
            socket.sendText(json, true).get(5, TimeUnit.SECONDS);
            JsonNode reply = next("ack");
            assertEquals(ref, reply.path("ref").asText(), "replies come in order: " + reply);
        }

        /** The next event of this type; the ones before it must be of other types. */
        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode event = poll();
                if (type.equals(event.path("type").asText())) {
                    return event;
                }
            }
        }

        JsonNode poll() throws InterruptedException {
            JsonNode event = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(event, "an event within 5 s");
            return event;
        }
    }
}
