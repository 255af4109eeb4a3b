package io.parley.engine;

import io.parley.adapters.persistence.memory.InMemoryStore;
import io.parley.adapters.pubsub.memory.InMemoryFanout;
import io.parley.adapters.pubsub.memory.InMemoryPresenceRegistry;
import io.parley.application.ChatCore;
import io.parley.application.LocalRevocations;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.TokenVerifier.VerifiedToken;
import io.parley.application.service.UserService;
import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import io.parley.domain.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The backend ends a user's sessions (disconnect) or revokes their tokens, on two nodes that share a fan-out
 * and a revocation store: every session of the user ends, on both nodes, with the close reason that tells the
 * client what to do; other users and newer tokens are left alone; a revoked token opens nothing; and a
 * revocation whose signal was lost still ends the sessions once the node re-reads the store.
 */
class UserAccessTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final User ann = User.of("ann");
    private final User bob = User.of("bob");
    private final InMemoryStore store = InMemoryStore.create();
    private final LocalRevocations revocations = LocalRevocations.create();
    private final List<TestNode> nodes = new ArrayList<>();

    /** A node over the shared store and revocations, with its own fan-out or one shared with others. */
    private TestNode node(Fanout fanout) {
        ChatCore core = ChatCore.builder().rooms(store.rooms()).log(store.log()).fanout(fanout)
                .presence(InMemoryPresenceRegistry.create()).revocations(revocations).build();
        TestNode node = new TestNode(core, SessionHub.builder().core(core).encoder(ServerEvent::toString)
                .settings(SessionSettings.defaults()).build());
        nodes.add(node);
        return node;
    }

    private static ChatSession open(TestNode node, User user, Instant issuedAt, RecordingSink sink) {
        return node.hub().open(new VerifiedToken(user, Instant.MAX, issuedAt), TransportKind.WEBSOCKET, sink);
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void a_disconnect_ends_every_session_of_the_user_on_every_node_and_no_one_elses() {
        Fanout fanout = InMemoryFanout.create();
        TestNode a = node(fanout);
        TestNode b = node(fanout);
        RecordingSink annOnA = new RecordingSink();
        RecordingSink annOnB = new RecordingSink();
        RecordingSink bobOnB = new RecordingSink();
        open(a, ann, T0, annOnA);
        open(b, ann, T0, annOnB);
        ChatSession bobs = open(b, bob, T0, bobOnB);

        a.core().users().disconnect(ann.id());

        assertEquals(CloseReason.DISCONNECTED, annOnA.awaitClose());
        assertEquals(CloseReason.DISCONNECTED, annOnB.awaitClose());
        assertEquals(4002, CloseReason.DISCONNECTED.code());
        assertFalse(bobs.isClosed(), "bob is not disconnected");
        open(a, ann, T0, new RecordingSink()); // and ann may connect again
    }

    @Test
    void a_revocation_ends_sessions_of_older_tokens_on_every_node_and_refuses_them_from_then_on() {
        Fanout fanout = InMemoryFanout.create();
        TestNode a = node(fanout);
        TestNode b = node(fanout);
        RecordingSink old = new RecordingSink();
        RecordingSink fresh = new RecordingSink();
        RecordingSink noIat = new RecordingSink();
        open(b, ann, T0.minusSeconds(60), old);
        ChatSession freshSession = open(b, ann, T0.plusSeconds(1), fresh);
        open(b, ann, Instant.MIN, noIat);

        assertEquals(T0, a.core().users().revoke(ann.id(), T0));

        assertEquals(CloseReason.TOKEN_REVOKED, old.awaitClose());
        assertEquals(CloseReason.TOKEN_REVOKED, noIat.awaitClose(), "a token that does not say when it was issued");
        assertEquals(4001, CloseReason.TOKEN_REVOKED.code(), "the client gets a new token, as after expiry");
        assertFalse(freshSession.isClosed(), "a token issued after the revocation goes on");
        ParleyException refused = assertThrows(ParleyException.class,
                () -> open(b, ann, T0.minusSeconds(1), new RecordingSink()));
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        open(a, ann, T0, new RecordingSink()); // issued at the revocation's time: not before it
    }

    @Test
    void a_revocation_whose_signal_was_lost_ends_the_sessions_when_the_node_reads_the_store_again() {
        TestNode lonely = node(InMemoryFanout.create()); // shares the store, not the fan-out: hears nothing
        RecordingSink old = new RecordingSink();
        ChatSession session = open(lonely, ann, T0.minusSeconds(60), old);
        TestNode other = node(InMemoryFanout.create());

        other.core().users().revoke(ann.id(), T0);
        lonely.hub().tick();
        assertFalse(session.isClosed(), "the node has not heard of it yet");

        ((UserService) lonely.core().users()).refresh(); // the core does this every 30 s
        lonely.hub().tick();
        assertEquals(CloseReason.TOKEN_REVOKED, old.awaitClose());
    }
}
