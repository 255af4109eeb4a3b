package io.parley.application;

import io.parley.application.port.in.Converse;
import io.parley.application.port.in.ManageRooms;
import io.parley.application.port.in.ManageUsers;
import io.parley.application.port.in.TrackPresence;
import io.parley.application.port.out.ChatHooks;
import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.EventListener;
import io.parley.application.port.out.FeedCursors;
import io.parley.application.port.out.Fanout;
import io.parley.application.port.out.IdGenerator;
import io.parley.application.port.out.PresenceRegistry;
import io.parley.application.port.out.Revocations;
import io.parley.application.port.out.RoomLog;
import io.parley.application.port.out.Rooms;
import io.parley.application.port.out.UsageCounters;
import io.parley.application.service.ChatContext;
import io.parley.application.service.UsageLimits;
import io.parley.application.service.EventFeeds;
import io.parley.application.service.EventPublisher;
import io.parley.application.service.MessageService;
import io.parley.application.service.PresenceTracker;
import io.parley.application.service.RoomService;
import io.parley.application.service.TypingIndicators;
import io.parley.application.service.UserService;
import io.parley.domain.ChatLimits;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Parley's use cases wired to their ports, and the scheduler that expires typing indicators. An embedding
 * application builds one and calls {@link #rooms()}, {@link #converse()} and {@link #presence()}
 * directly; it needs no transport and no wire encoder. Live sessions (the {@code parley-engine} module's
 * {@code SessionHub}) are built on top of a core.
 *
 * <pre>{@code
 * InMemoryStore store = InMemoryStore.create();
 * ChatCore core = ChatCore.builder()
 *         .rooms(store.rooms()).log(store.log())
 *         .fanout(InMemoryFanout.create()).presence(InMemoryPresenceRegistry.create())
 *         .build();
 * core.converse().send(crmBot, SendMessage.of(roomId, "Ticket #42 was closed"));
 * }</pre>
 */
public final class ChatCore implements AutoCloseable {
    private static final long TYPING_SWEEP_MILLIS = 250;
    private static final long REVOCATIONS_REFRESH_SECONDS = 30;

    private final ChatContext context;
    private final RoomService rooms;
    private final MessageService converse;
    private final PresenceTracker presence;
    private final UserService users;
    private final EventFeeds feeds;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;

    private ChatCore(Builder builder) {
        this.context = new ChatContext(builder.rooms, builder.log, builder.fanout, builder.presence, builder.clock,
                builder.ids, builder.limits, builder.usage, builder.counters, builder.metrics, builder.hooks);
        this.ownScheduler = builder.scheduler == null;
        this.scheduler = ownScheduler
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parley-scheduler")
                .factory())
                : builder.scheduler;
        this.feeds = EventFeeds.create(builder.listeners, builder.feedCursors, context.log(), context.clock(),
                context.metrics(), builder.feedSettings);
        EventPublisher publisher = EventPublisher.create(context.fanout(), context.presence(), feeds);
        TypingIndicators typing = TypingIndicators.create(context.fanout(), context.clock());
        this.presence = PresenceTracker.create(context, typing);
        this.rooms = RoomService.create(context, publisher);
        this.converse = MessageService.create(context, publisher, typing);
        this.users = UserService.create(builder.revocations, context.fanout());
        scheduler.scheduleWithFixedDelay(typing::expire, TYPING_SWEEP_MILLIS, TYPING_SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(users::refreshInBackground, REVOCATIONS_REFRESH_SECONDS,
                REVOCATIONS_REFRESH_SECONDS,
                TimeUnit.SECONDS);
        feeds.start(scheduler);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return rooms and membership use cases */
    public ManageRooms rooms() {
        return rooms;
    }

    /** @return message, receipt, history and typing use cases */
    public Converse converse() {
        return converse;
    }

    /** @return presence as sessions open, close and set their status */
    public TrackPresence presence() {
        return presence;
    }

    /** @return disconnects and revocations of a user's access */
    public ManageUsers users() {
        return users;
    }

    /** @return the event listeners ({@link Builder#listener}) and what each is doing on this node */
    public EventFeeds feeds() {
        return feeds;
    }

    /** @return the ports and settings this node runs with */
    public ChatContext context() {
        return context;
    }

    /**
     * Stops the event listeners and the core's own scheduler (a scheduler given to the builder is left to its
     * owner).
     */
    @Override
    public void close() {
        feeds.close();
        users.close();
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** Builds a {@link ChatCore}. Stores, fan-out and presence are required. */
    public static final class Builder {
        private Rooms rooms;
        private RoomLog log;
        private Fanout fanout;
        private PresenceRegistry presence;
        private Clock clock = Clock.systemUTC();
        private IdGenerator ids = RandomIds.create();
        private ChatLimits limits = ChatLimits.DEFAULTS;
        private UsageLimits usage = UsageLimits.DEFAULTS;
        private UsageCounters counters;
        private ChatMetrics metrics = ChatMetrics.NONE;
        private ChatHooks hooks = ChatHooks.NONE;
        private Revocations revocations;
        private final Map<String, EventListener> listeners = new LinkedHashMap<>();
        private FeedCursors feedCursors;
        private EventFeeds.Settings feedSettings = EventFeeds.Settings.DEFAULTS;
        private ScheduledExecutorService scheduler;

        private Builder() {
        }

        /**
         * @param rooms rooms and memberships store
         * @return this builder
         */
        public Builder rooms(Rooms rooms) {
            this.rooms = Objects.requireNonNull(rooms);
            return this;
        }

        /**
         * @param log room event log
         * @return this builder
         */
        public Builder log(RoomLog log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        /**
         * @param fanout publish/subscribe between nodes
         * @return this builder
         */
        public Builder fanout(Fanout fanout) {
            this.fanout = Objects.requireNonNull(fanout);
            return this;
        }

        /**
         * @param presence presence registry
         * @return this builder
         */
        public Builder presence(PresenceRegistry presence) {
            this.presence = Objects.requireNonNull(presence);
            return this;
        }

        /**
         * @param clock time source (default UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param ids id generator (default random 128-bit ids)
         * @return this builder
         */
        public Builder ids(IdGenerator ids) {
            this.ids = Objects.requireNonNull(ids);
            return this;
        }

        /**
         * @param limits size limits (default {@link ChatLimits#DEFAULTS})
         * @return this builder
         */
        public Builder limits(ChatLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * @param usage limits on what one user may make (default {@link UsageLimits#DEFAULTS})
         * @return this builder
         */
        public Builder usage(UsageLimits usage) {
            this.usage = Objects.requireNonNull(usage);
            return this;
        }

        /**
         * @param counters the counts behind the per-user limits: shared by every node (the Redis adapter's) or
         *                 this node's own (default: {@link LocalCounters}, per node)
         * @return this builder
         */
        public Builder counters(UsageCounters counters) {
            this.counters = Objects.requireNonNull(counters);
            return this;
        }

        /**
         * @param metrics monitoring (default none)
         * @return this builder
         */
        public Builder metrics(ChatMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        /**
         * @param hooks the embedding product's decisions before a send, an edit, a join or a subscribe
         *              (default: none, everything Parley's own rules allow goes through)
         * @return this builder
         */
        public Builder hooks(ChatHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks);
            return this;
        }

        /**
         * @param revocations where revoked users are kept: the store's, shared by every node (default:
         *                    {@link LocalRevocations}, this node's memory)
         * @return this builder
         */
        public Builder revocations(Revocations revocations) {
            this.revocations = Objects.requireNonNull(revocations);
            return this;
        }

        /**
         * Adds a listener that sees every durable event once, in room order, resuming where it stopped
         * ({@link EventListener}); needs {@link #feedCursors}.
         *
         * @param name     the listener's name, under which its progress is kept: keep it across restarts
         * @param listener what sees each durable event
         * @return this builder
         */
        public Builder listener(String name, EventListener listener) {
            if (name == null || !name.matches("[A-Za-z0-9._:-]{1,200}")) {
                throw new IllegalArgumentException("a listener's name is 1 to 200 letters, digits and . _ : -");
            }
            if (listeners.putIfAbsent(name, Objects.requireNonNull(listener)) != null) {
                throw new IllegalArgumentException("two listeners named " + name);
            }
            return this;
        }

        /**
         * @param cursors where listeners' positions are kept: the store's ({@code InMemoryStore.feedCursors()},
         *                {@code JdbcStorage.feedCursors()}, durable and shared by every node)
         * @return this builder
         */
        public Builder feedCursors(FeedCursors cursors) {
            this.feedCursors = Objects.requireNonNull(cursors);
            return this;
        }

        /**
         * @param settings how long a node holds a room it feeds to listeners, how often rooms left behind are
         *                 looked for (default {@link EventFeeds.Settings#DEFAULTS})
         * @return this builder
         */
        public Builder feedSettings(EventFeeds.Settings settings) {
            this.feedSettings = Objects.requireNonNull(settings);
            return this;
        }

        /**
         * @param scheduler a scheduler to share (default: one of the core's own, stopped by {@link ChatCore#close()})
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        /** @return the node */
        public ChatCore build() {
            Objects.requireNonNull(rooms, "rooms store is required");
            Objects.requireNonNull(log, "room log is required");
            Objects.requireNonNull(fanout, "fanout is required");
            Objects.requireNonNull(presence, "presence registry is required");
            if (counters == null) {
                counters = LocalCounters.create();
            }
            if (revocations == null) {
                revocations = LocalRevocations.create();
            }
            if (!listeners.isEmpty() && feedCursors == null) {
                throw new IllegalStateException("event listeners need feedCursors(…): the store's");
            }
            return new ChatCore(this);
        }
    }
}
