package io.parley.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The contract of the {@link io.parley.application.port.out.Rooms} and
 * {@link io.parley.application.port.out.RoomLog} ports, for a store that implements both over one storage.
 *
 * <p>Extend it in a JUnit 5 test and implement {@link #newStore()}:
 * <pre>{@code
 * class InMemoryStoreTest extends ChatStoreContract {
 *     protected ChatStore newStore() {
 *         InMemoryStore store = InMemoryStore.create();
 *         return ChatStore.of(store.rooms(), store.log());
 *     }
 * }
 * }</pre>
 *
 * <p>The tests cover creation and membership, gap-free seqs, idempotent posts (per author, across rooms),
 * edits and tombstones, read markers, history paging, replay (without the content of deleted messages), room
 * summaries, search, deleting a room, and concurrent writers (8 threads). Every test takes its
 * ids from a fresh {@link Drafts} scope, so a store shared between tests (one database for the whole run)
 * works as well as a new store per test.
 */
public abstract class ChatStoreContract
        implements MembershipTests, AppendTests, HistoryTests, SummaryTests, SearchTests, RoomSettingsTests,
        ModerationTests, DirectConversationTests, ReplyAndMentionTests, ReactionTests,
        DirectoryTests, DeletionTests, ConcurrentAppendTests {
    private ChatStore store;
    private Drafts drafts;

    /** For subclasses. */
    protected ChatStoreContract() {
    }

    /**
     * Called before every test.
     *
     * @return the store under test: empty, or at least holding no ids of the current test's scope
     */
    protected abstract ChatStore newStore();

    /**
     * Where the times of rooms and drafts come from. The default starts at 2025-01-01T00:00:00Z and moves one
     * second per reading; override it if the store needs other times (for example recent ones, when it
     * expires old data).
     *
     * @return a clock for one test
     */
    protected Clock clock() {
        return SteppingClock.create(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(1));
    }

    /** Opens the store and the test data of one test. */
    @BeforeEach
    protected final void openStore() {
        drafts = Drafts.create(clock());
        store = newStore();
    }

    /** Closes the store of one test. */
    @AfterEach
    protected final void closeStore() {
        store.close();
    }

    /** @return the store of the current test */
    @Override
    public final ChatStore store() {
        return store;
    }

    /** @return the test data of the current test */
    @Override
    public final Drafts drafts() {
        return drafts;
    }
}
