package io.parley.application.service;

import io.parley.application.port.out.ChatMetrics;
import io.parley.application.port.out.EventListener;
import io.parley.application.port.out.FeedCursors;
import io.parley.application.port.out.RoomLog;
import io.parley.domain.RoomEvent;
import io.parley.domain.RoomId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the {@link EventListener}s: each room of each feed is delivered by one worker at a time (a virtual
 * thread, only while the room has something to deliver), which claims the room in {@link FeedCursors}, reads
 * the room's log after the cursor and gives the events to the listener one by one, moving the cursor after
 * each. The node that appends an event wakes the room's worker at once ({@link #published}); a sweep every few
 * seconds finds rooms whose cursor is behind for any other reason (a node that died holding a claim, a wake
 * that raced a release, a restart), so nothing stored is left behind. Nothing here runs on the caller's thread
 * beyond a map lookup: a slow listener never slows the chat.
 */
public final class EventFeeds implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventFeeds.class.getName());
    private static final int BATCH = 100;
    private static final int SWEEP_LIMIT = 10_000;
    private static final long FIRST_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    /**
     * How feeds are run.
     *
     * @param lease how long a node holds a room it delivers before another may take it over (a node that
     *              died is replaced after this)
     * @param sweep how often rooms left behind are looked for
     */
    public record Settings(Duration lease, Duration sweep) {
        /** The defaults: a 15 s lease, a sweep every 5 s. */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(15), Duration.ofSeconds(5));

        /** Checks the settings. */
        public Settings {
            if (lease.isNegative() || lease.isZero() || sweep.isNegative() || sweep.isZero()) {
                throw new IllegalArgumentException("feed lease and sweep must be positive");
            }
        }
    }

    /**
     * What a feed is doing, for health details.
     *
     * @param delivered  events taken by the listener on this node since start
     * @param failures   calls that threw on this node since start
     * @param failing    whether its last call on this node threw
     * @param lastError  what the last failure said
     * @param failingSince when it started failing, if it is
     */
    public record Status(long delivered, long failures, boolean failing, String lastError, Instant failingSince) {
    }

    private record Key(String feed, RoomId room) {
    }

    private final Map<String, Feed> feeds;
    private final FeedCursors cursors;
    private final RoomLog log;
    private final Clock clock;
    private final ChatMetrics metrics;
    private final Settings settings;
    private final String holder = "node-" + UUID.randomUUID();
    private final Map<Key, Worker> running = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("parley-feed-", 0).factory());
    private final java.util.concurrent.atomic.AtomicBoolean sweeping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    private EventFeeds(Map<String, EventListener> listeners, FeedCursors cursors, RoomLog log, Clock clock,
                       ChatMetrics metrics, Settings settings) {
        Map<String, Feed> byName = new LinkedHashMap<>();
        listeners.forEach((name, listener) -> byName.put(name, new Feed(name, listener)));
        this.feeds = Map.copyOf(byName);
        this.cursors = cursors;
        this.log = log;
        this.clock = clock;
        this.metrics = metrics;
        this.settings = settings;
    }

    /**
     * @param listeners the listeners by feed name (none: nothing runs, and {@link #published} costs nothing)
     * @param cursors   where the feeds' positions and claims are kept
     * @param log       the room log the events are read from
     * @param clock     the time leases are measured by
     * @param metrics   where deliveries and failures are counted
     * @param settings  lease and sweep
     * @return the feeds, not started
     */
    public static EventFeeds create(Map<String, EventListener> listeners, FeedCursors cursors, RoomLog log,
                                    Clock clock, ChatMetrics metrics, Settings settings) {
        return new EventFeeds(listeners, cursors, log, clock, metrics, settings);
    }

    /**
     * Starts the sweep (the first at once: it registers the feeds and finds what a restart left behind).
     *
     * @param scheduler where the sweep runs
     */
    public void start(ScheduledExecutorService scheduler) {
        if (!feeds.isEmpty()) {
            // Registered here, before the core takes its first event: a new feed starts with what happens from
            // now on. Left to the first sweep, an event stored between start and that sweep was skipped (the
            // registration put its room's cursor past it). A store down now: the sweep registers later.
            for (Feed feed : feeds.values()) {
                register(feed);
            }
            // The sweep reads the store: on a thread of its own, so that a slow store never delays the shared
            // scheduler's other work (heartbeats, typing expiry); one sweep at a time.
            scheduler.scheduleWithFixedDelay(() -> {
                if (!closed && sweeping.compareAndSet(false, true)) {
                    try {
                        threads.execute(() -> {
                            try {
                                sweep();
                            } finally {
                                sweeping.set(false);
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        sweeping.set(false); // closing
                    }
                }
            }, 0, settings.sweep().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A stored event was published on this node: its room's workers wake.
     *
     * @param event the event as stored, with its room and seq
     */
    public void published(RoomEvent event) {
        if (feeds.isEmpty()) {
            return;
        }
        for (String feed : feeds.keySet()) {
            wake(new Key(feed, event.room()));
        }
    }

    /** @return each feed's status on this node */
    public Map<String, Status> status() {
        Map<String, Status> status = new LinkedHashMap<>();
        feeds.values().forEach(feed -> status.put(feed.name, feed.status()));
        return status;
    }

    /** Stops the workers and the sweep's work; claims held run out by their lease. */
    @Override
    public void close() {
        closed = true;
        threads.shutdownNow();
    }

    void sweep() {
        if (closed) {
            return;
        }
        for (Feed feed : feeds.values()) {
            if (!register(feed)) {
                continue;
            }
            try {
                for (RoomId room : cursors.behind(feed.name, SWEEP_LIMIT)) {
                    wake(new Key(feed.name, room));
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "feed " + feed.name + ": rooms left behind not looked for: "
                        + e.getMessage());
            }
        }
    }

    /** @return whether the feed is registered (now or before); false when the store failed, logged */
    private boolean register(Feed feed) {
        if (feed.registered) {
            return true;
        }
        try {
            cursors.register(feed.name);
            feed.registered = true;
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "feed " + feed.name + " not registered yet: " + e.getMessage());
            return false;
        }
    }

    private void wake(Key key) {
        Worker[] created = new Worker[1];
        running.compute(key, (k, current) -> {
            Worker worker = current == null ? created[0] = new Worker(k, feeds.get(k.feed())) : current;
            worker.more = true;
            return worker;
        });
        if (created[0] != null && !closed) {
            try {
                threads.execute(created[0]);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.remove(key, created[0]); // closing
            }
        }
    }

    /** One feed's listener and what it did on this node. */
    private static final class Feed {
        final String name;
        final EventListener listener;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        volatile boolean registered;
        volatile String lastError = "";
        volatile Instant failingSince;

        Feed(String name, EventListener listener) {
            this.name = name;
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        Status status() {
            Instant since = failingSince;
            return new Status(delivered.get(), failures.get(), since != null, lastError, since);
        }
    }

    /** Delivers one room of one feed while there is something to deliver; ends when caught up. */
    private final class Worker implements Runnable {
        final Key key;
        final Feed feed;
        volatile boolean more;

        Worker(Key key, Feed feed) {
            this.key = key;
            this.feed = feed;
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    more = false;
                    deliverAll();
                    Worker self = this;
                    // Atomic with wake(): a wake before this keeps the worker (more is set), one after starts anew.
                    if (running.compute(key, (k, w) -> w == self && !self.more ? null : w) != self) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.remove(key, this);
            }
        }

        private void deliverAll() throws InterruptedException {
            OptionalLong claimed;
            try {
                claimed = cursors.claim(feed.name, key.room(), holder, clock.instant(), leaseEnd(0));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "feed " + feed.name + " could not claim a room: " + e.getMessage());
                return; // the sweep comes back
            }
            if (claimed.isEmpty()) {
                return; // another node delivers this room
            }
            long cursor = claimed.getAsLong();
            try {
                while (!closed) {
                    List<RoomEvent> events = log.eventsAfter(key.room(), cursor, BATCH);
                    if (events.isEmpty()) {
                        break;
                    }
                    for (RoomEvent event : events) {
                        if (!deliver(event, cursor)
                                || !cursors.advance(feed.name, key.room(), holder, event.seq(), leaseEnd(0))) {
                            return; // the claim went to another node: it delivers from the stored cursor
                        }
                        cursor = event.seq();
                    }
                }
                cursors.release(feed.name, key.room(), holder);
            } catch (RuntimeException e) {
                // The store failed: the lease runs out and the sweep, here or elsewhere, takes it up again.
                LOG.log(System.Logger.Level.WARNING, "feed " + feed.name + " paused on a store failure: "
                        + e.getMessage());
            }
        }

        /** Gives one event to the listener until it takes it; false when the claim was lost meanwhile. */
        private boolean deliver(RoomEvent event, long cursor) throws InterruptedException {
            long wait = FIRST_RETRY_MILLIS;
            while (!closed) {
                try {
                    feed.listener.onEvent(event);
                    feed.delivered.incrementAndGet();
                    metrics.feedDelivered(feed.name, true);
                    if (feed.failingSince != null) {
                        feed.failingSince = null;
                        LOG.log(System.Logger.Level.INFO, "feed " + feed.name + " takes events again");
                    }
                    return true;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    feed.failures.incrementAndGet();
                    metrics.feedDelivered(feed.name, false);
                    feed.lastError = String.valueOf(e.getMessage());
                    if (feed.failingSince == null) {
                        feed.failingSince = clock.instant();
                        LOG.log(System.Logger.Level.WARNING, "feed " + feed.name + " failed (" + feed.lastError
                                + "); retrying with backoff, the room's later events wait");
                    }
                    // Keep the claim through the wait, so that no other node delivers the room meanwhile.
                    if (!cursors.advance(feed.name, key.room(), holder, cursor, leaseEnd(wait))) {
                        return false;
                    }
                    Thread.sleep(wait);
                    wait = Math.min(wait * 2, MAX_RETRY_MILLIS);
                }
            }
            throw new InterruptedException("closed");
        }

        private Instant leaseEnd(long plusMillis) {
            return clock.instant().plus(settings.lease()).plusMillis(plusMillis);
        }
    }
}
