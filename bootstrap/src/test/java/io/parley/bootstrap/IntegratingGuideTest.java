package io.parley.bootstrap;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.port.in.CreateRoom;
import io.parley.application.port.in.SendMessage;
import io.parley.application.port.out.ChatHooks;
import io.parley.domain.ErrorCode;
import io.parley.domain.Message;
import io.parley.domain.ParleyException;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;
import io.parley.domain.User;
import io.parley.domain.UserId;
import io.parley.domain.Visibility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java embedding example of docs/integrating.md, compiled and run: the lines between the markers below are
 * the guide's, word for word (the test compares them), and what they promise happens.
 */
class IntegratingGuideTest {
    /** What the guide's {@code crm.maySee} stands for: the product's own rule. */
    interface Crm {
        boolean maySee(UserId user, RoomId room);
    }

    @Test
    void the_guides_java_example_compiles_runs_and_does_what_it_says() throws Exception {
        Crm crm = (user, room) -> !user.value().equals("outsider");
        Map<String, Message> searchIndex = new ConcurrentHashMap<>();
        // guide:begin
        InMemoryStore store = InMemoryStore.create();          // or JdbcStorage.create(…) for PostgreSQL
        ChatCore core = ChatCore.builder()
                .rooms(store.rooms()).log(store.log())
                .fanout(InMemoryFanout.create()).presence(InMemoryPresenceRegistry.create())
                .hooks(new ChatHooks() {
                    @Override
                    public SendDecision beforeSend(SendAttempt attempt) {
                        return attempt.body().contains("http://") ? SendDecision.reject("links need https")
                                : SendDecision.ALLOW;
                    }

                    @Override
                    public AccessDecision beforeJoin(JoinAttempt attempt) {
                        return crm.maySee(attempt.joiner(), attempt.room()) ? AccessDecision.ALLOW
                                : AccessDecision.deny("not on this deal");
                    }
                })
                .feedCursors(store.feedCursors())
                .listener("search-index", event -> {           // every durable event once, in room order
                    if (event instanceof RoomEvent.MessagePosted posted) {
                        searchIndex.put(posted.message().id().value(), posted.message());   // throw to have it retried
                    }
                })
                .build();
        RoomId deal = core.rooms().ensure(new User(UserId.of("manager-7"), "Mia"), RoomId.of("deal-42"),
                new CreateRoom("Deal 42", Visibility.PRIVATE, List.of(UserId.of("customer-9")))).view().room().id();
        core.converse().announce(deal, "The contract was signed", "CRM", Optional.of("deal-42-signed"), List.of());
        core.users().revoke(UserId.of("am-3"), Instant.now());
        // guide:end
        try {
            assertTrue(Files.readString(Path.of("../docs/integrating.md")).contains(guideLines()),
                    "docs/integrating.md shows the lines between the markers of this test");

            User customer = new User(UserId.of("customer-9"), "Cy");
            ParleyException rejected = assertThrows(ParleyException.class,
                    () -> core.converse().send(customer, SendMessage.of(deal, "see http://example.com")));
            assertEquals(ErrorCode.REJECTED, rejected.code());
            assertEquals("links need https", rejected.getMessage());
            User manager = new User(UserId.of("manager-7"), "Mia");
            assertEquals(ErrorCode.FORBIDDEN, assertThrows(ParleyException.class,
                    () -> core.rooms().addMember(manager, deal, UserId.of("outsider"))).code());
            Message sent = core.converse().send(customer, SendMessage.of(deal, "see https://example.com")).message();

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (searchIndex.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(sent, searchIndex.get(sent.id().value()), "the listener indexed the message");
            assertTrue(searchIndex.values().stream().anyMatch(m -> m.author().equals(UserId.SYSTEM)
                    && m.body().equals("The contract was signed")), "and the system's announcement");
            assertTrue(core.users().revoked(UserId.of("am-3"), Instant.now().minusSeconds(60)));
        } finally {
            core.close();
        }
    }

    /** The lines between this test's markers, indented as the guide indents them. */
    private static String guideLines() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/parley/bootstrap/IntegratingGuideTest.java"));
        int begin = lines.indexOf("        // guide:begin");
        int end = lines.indexOf("        // guide:end");
        return String.join("\n", lines.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line).toList());
    }
}
