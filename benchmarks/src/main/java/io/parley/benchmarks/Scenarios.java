package io.parley.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The benchmark's scenarios, each run against one {@link Target} with a fresh {@link ChatLoad}. Figures
 * come from the measured window only: the warm-up's deliveries are checked for loss but not timed.
 */
final class Scenarios {
    /** Steal above this share of the host's CPU makes a window noisy: repeat it rather than report it. */
    static final double NOISY_STEAL = 0.05;
    /** A load generator busier than this share of its core may be the limit, not the server. */
    static final double GENERATOR_BOUND = 0.85;

    private final Settings settings;

    Scenarios(Settings settings) {
        this.settings = settings;
    }

    /**
     * How long to warm up and measure, and the ramp's limits.
     *
     * @param warmupSeconds  warm-up before each measured window (the JIT compiles the hot path meanwhile)
     * @param measureSeconds length of each measured window
     * @param drainMillis    how long a step waits for its last deliveries before counting them lost
     * @param rampStepSeconds length of each ramp step
     * @param warmupMaxSeconds the longest a steady-load row's warm-up goes on while a server's JIT compilers
     *                       are still busy ({@link #warmUp}); equal to {@code warmupSeconds}, a fixed warm-up
     */
    record Settings(int warmupSeconds, int measureSeconds, long drainMillis, int rampStepSeconds,
                    int warmupMaxSeconds) {
        /** A fixed warm-up of {@code warmupSeconds}. */
        Settings(int warmupSeconds, int measureSeconds, long drainMillis, int rampStepSeconds) {
            this(warmupSeconds, measureSeconds, drainMillis, rampStepSeconds, warmupSeconds);
        }
    }

    /** How long each further step of a warm-up lasts while a server's compilers are busy. */
    static final int SETTLE_STEP_SECONDS = 2;
    /**
     * A server's JIT has settled when its compiler threads used at most this share of the server's CPU over a
     * settle step: steady-load rows measure what a delivery costs a warm server, not what compiling it costs.
     * A share of the server's CPU, not of a core: at 10k deliveries/s a server uses a fifth of its core, and
     * 2 % of a core there is a tenth of its figure.
     */
    static final double COMPILERS_SETTLED = 0.02;

    /** Latency percentiles in milliseconds. */
    record Latency(long count, double p50, double p90, double p99, double p999, double max) {
        static Latency of(Histogram h) {
            return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * One measured window.
     *
     * @param offeredPerSecond deliveries/s the schedule asked for
     * @param delivered        first deliveries in the window
     * @param lost             deliveries still missing after the drain
     * @param duplicates       repeated deliveries
     * @param errors           error replies to sends
     * @param closed           connections the server closed during the window
     * @param latency          delivery latency, from each message's scheduled send time
     * @param ackLatency       send-to-ack latency
     * @param serverCpuSeconds server process CPU over the window (empty without a pid)
     * @param generatorShare   the load generator's CPU over the window, as a share of one core
     * @param steal            the host's steal over the window, as a share
     * @param seconds          the window's wall time
     * @param firstProblem     the first error or unexpected close the load generator saw, or ""
     * @param rss              the server's resident memory before, after and at the peak of the window
     * @param compilerCpuSeconds the server's JIT compiler threads' CPU over the window (empty without a pid)
     * @param warmedSeconds    how long the warm-up before this window ran (0 for a warm-up's own windows)
     */
    record Window(double offeredPerSecond, long delivered, long lost, long duplicates, long errors, int closed,
                  Latency latency, Latency ackLatency, OptionalDouble serverCpuSeconds, double generatorShare,
                  double steal, double seconds, String firstProblem, RssSampler.Rss rss,
                  OptionalDouble compilerCpuSeconds, double warmedSeconds) {
        /** @return the share of the server's CPU its JIT compilers used in this window, when known */
        OptionalDouble compilerShare() {
            return serverCpuSeconds.isPresent() && compilerCpuSeconds.isPresent() && serverCpuSeconds.getAsDouble() > 0
                    ? OptionalDouble.of(compilerCpuSeconds.getAsDouble() / serverCpuSeconds.getAsDouble())
                    : OptionalDouble.empty();
        }

        /** @return whether the server's compilers are known to have used at most {@link #COMPILERS_SETTLED} of its CPU */
        boolean compilersSettled() {
            return compilerShare().isPresent() && compilerShare().getAsDouble() <= COMPILERS_SETTLED;
        }

        OptionalDouble deliveriesPerCpuSecond() {
            return serverCpuSeconds.isPresent() && serverCpuSeconds.getAsDouble() > 0
                    ? OptionalDouble.of(delivered / serverCpuSeconds.getAsDouble()) : OptionalDouble.empty();
        }

        /**
         * Adds up windows of one server and row: deliveries, losses, CPU and time are summed, latencies come from
         * the merged histograms, steal and the generator's share are over the windows' total time, RSS runs
         * from the first window's start to the last one's end.
         */
        static Window of(List<Measured> windows) {
            Histogram latency = null;
            Histogram ack = null;
            long delivered = 0;
            long lost = 0;
            long duplicates = 0;
            long errors = 0;
            int closed = 0;
            double cpu = 0;
            boolean cpuKnown = true;
            double compilers = 0;
            boolean compilersKnown = true;
            double generator = 0;
            double stealSeconds = 0;
            double seconds = 0;
            double offered = 0;
            long peak = 0;
            String firstProblem = "";
            for (Measured m : windows) {
                latency = merged(latency, m.counts().latency());
                ack = merged(ack, m.counts().ackLatency());
                delivered += m.counts().delivered();
                lost += m.counts().missing();
                duplicates += m.counts().duplicates();
                errors += m.counts().errors();
                closed += m.closed();
                cpuKnown &= m.serverCpuSeconds().isPresent();
                cpu += m.serverCpuSeconds().orElse(0);
                compilersKnown &= m.compilerCpuSeconds().isPresent();
                compilers += m.compilerCpuSeconds().orElse(0);
                generator += m.generatorCpuSeconds();
                stealSeconds += m.stealShare() * m.seconds();
                seconds += m.seconds();
                offered += m.offered() * m.seconds();
                peak = Math.max(peak, m.rss().peakKib());
                if (firstProblem.isEmpty()) {
                    firstProblem = m.firstProblem();
                }
            }
            RssSampler.Rss rss = new RssSampler.Rss(windows.getFirst().rss().beforeKib(),
                    windows.getLast().rss().afterKib(), peak);
            return new Window(offered / seconds, delivered, lost, duplicates, errors, closed, Latency.of(latency),
                    Latency.of(ack), cpuKnown ? OptionalDouble.of(cpu) : OptionalDouble.empty(), generator / seconds,
                    stealSeconds / seconds, seconds, firstProblem, rss,
                    compilersKnown ? OptionalDouble.of(compilers) : OptionalDouble.empty(), 0);
        }

        private static Histogram merged(Histogram into, Histogram more) {
            if (into == null) {
                return more.copy();
            }
            into.add(more);
            return into;
        }

        /** @return this window, charged with what the warm-up before it lost, repeated, refused or closed */
        Window after(Window warmup) {
            return new Window(offeredPerSecond, delivered, lost + warmup.lost, duplicates + warmup.duplicates,
                    errors + warmup.errors, closed + warmup.closed, latency, ackLatency, serverCpuSeconds,
                    generatorShare, steal, seconds, firstProblem.isEmpty() ? warmup.firstProblem : firstProblem, rss,
                    compilerCpuSeconds, warmup.seconds + warmup.warmedSeconds);
        }

        boolean clean() {
            return lost == 0 && duplicates == 0 && errors == 0 && closed == 0;
        }

        boolean noisy() {
            return steal > NOISY_STEAL;
        }

        boolean generatorBound() {
            return generatorShare > GENERATOR_BOUND;
        }

        String verdict() {
            if (!clean()) {
                return "FAILED: lost " + lost + ", duplicates " + duplicates + ", errors " + errors + ", closed " + closed
                        + (firstProblem.isEmpty() ? "" : " (first: " + firstProblem + ")");
            }
            return "ok";
        }
    }

    /**
     * Fan-out: {@code rooms} rooms with {@code membersPerRoom} receivers each and {@code publishers} WebSocket
     * publishers sending {@code deliveriesPerSecond / membersPerRoom} messages per second in all.
     */
    Window fanout(Target target, WireLoop.Kind kind, int rooms, int membersPerRoom, int publishers,
                  double deliveriesPerSecond) {
        ChatLoad load = prepare(target, kind, rooms, membersPerRoom, publishers);
        try {
            double rate = deliveriesPerSecond / membersPerRoom;
            Window warmup = warmUp(target, load, rate);
            return step(target, load, rate, settings.measureSeconds()).after(warmup);
        } finally {
            load.close();
        }
    }

    /**
     * A steady-load row's warm-up: {@link Settings#warmupSeconds()} at the row's rate, then on in steps of
     * {@link #SETTLE_STEP_SECONDS} until a step in which the server's JIT compilers used at most
     * {@link #COMPILERS_SETTLED} of its CPU, or until {@link Settings#warmupMaxSeconds()} in all. A server
     * whose pid is not known gets the fixed warm-up.
     *
     * @return the warm-up, charged with every loss of its steps, and how long it ran
     */
    Window warmUp(Target target, ChatLoad load, double messagesPerSecond) {
        Window warmup = step(target, load, messagesPerSecond, settings.warmupSeconds());
        Window last = warmup;
        long deadline = settleDeadline(1);
        while (!last.compilersSettled() && target.pid().isPresent() && System.nanoTime() < deadline) {
            last = step(target, load, messagesPerSecond, SETTLE_STEP_SECONDS);
            warmup = last.after(warmup);
        }
        return warmup;
    }

    /**
     * @param servers how many servers take turns in the settle steps: each gets up to
     *                {@link Settings#warmupMaxSeconds()} of warm-up of its own
     * @return the {@link System#nanoTime()} after which no further settle step starts
     */
    private long settleDeadline(int servers) {
        return System.nanoTime() + (settings.warmupMaxSeconds() - settings.warmupSeconds()) * servers * 1_000_000_000L;
    }

    /**
     * The pause before each window of {@link #fanoutInTurns}: the server just measured finishes what its
     * window left it (compilations, a collection) on the CPU it shares with the next one, not during the
     * next one's window.
     */
    static final long SETTLE_MILLIS = 1_000;

    /** One row's figures for two servers measured in turns. */
    record Pair(Window first, Window second) {
    }

    /**
     * {@link #fanout} on two servers at once, measured in turns: both are set up and warmed up, then each is
     * measured in {@code turns} windows of {@code measureSeconds / turns} seconds, in the order A B B A A B …,
     * each after a pause of {@link #SETTLE_MILLIS}, and each server's windows are added up ({@link Window#of}).
     * A shared machine drifts by 20–40 % over the
     * minutes between two servers measured one after the other; in turns, that drift falls on both alike and
     * their ratio repeats where their separate figures do not. The server not measured holds its idle
     * connections meanwhile (no load, no timers but its heartbeats).
     */
    Pair fanoutInTurns(Target a, Target b, WireLoop.Kind kind, int rooms, int membersPerRoom, int publishers,
                       double deliveriesPerSecond, int turns) {
        ChatLoad loadA = prepare(a, kind, rooms, membersPerRoom, publishers);
        ChatLoad loadB;
        try {
            loadB = prepare(b, kind, rooms, membersPerRoom, publishers);
        } catch (RuntimeException e) {
            loadA.close();
            throw e;
        }
        try {
            double rate = deliveriesPerSecond / membersPerRoom;
            Window warmupA = step(a, loadA, rate, settings.warmupSeconds());
            Window warmupB = step(b, loadB, rate, settings.warmupSeconds());
            // then on in turns, SETTLE_STEP_SECONDS each, until both servers' compilers have settled
            long deadline = settleDeadline(2);
            Window lastA = warmupA;
            Window lastB = warmupB;
            while (!(lastA.compilersSettled() && lastB.compilersSettled()) && System.nanoTime() < deadline
                    && a.pid().isPresent() && b.pid().isPresent()) {
                lastA = step(a, loadA, rate, SETTLE_STEP_SECONDS);
                warmupA = lastA.after(warmupA);
                lastB = step(b, loadB, rate, SETTLE_STEP_SECONDS);
                warmupB = lastB.after(warmupB);
            }
            double seconds = (double) settings.measureSeconds() / turns;
            List<Measured> measuredA = new ArrayList<>();
            List<Measured> measuredB = new ArrayList<>();
            for (int turn = 0; turn < turns; turn++) {
                boolean aFirst = turn % 2 == 0;
                ChatLoad.sleep(SETTLE_MILLIS);
                Measured first = measure(aFirst ? a : b, aFirst ? loadA : loadB, rate, seconds);
                ChatLoad.sleep(SETTLE_MILLIS);
                Measured second = measure(aFirst ? b : a, aFirst ? loadB : loadA, rate, seconds);
                measuredA.add(aFirst ? first : second);
                measuredB.add(aFirst ? second : first);
            }
            return new Pair(Window.of(measuredA).after(warmupA), Window.of(measuredB).after(warmupB));
        } finally {
            loadA.close();
            loadB.close();
        }
    }

    /** The outcome of a ramp: every step, and the highest rate that held. */
    record Ramp(double sustainedPerSecond, List<Window> steps) {
    }

    /**
     * Ramp: after a warm-up at {@code startPerSecond}, doubles the delivery rate until a step fails
     * (p99 above {@code p99LimitMs}, or any loss), then bisects between the last good and the first bad
     * rate {@code bisections} times. Failed steps are followed by a pause so the server can catch up.
     */
    Ramp ramp(Target target, int membersPerRoom, double startPerSecond, double p99LimitMs, int bisections) {
        ChatLoad[] load = {prepare(target, WireLoop.Kind.WEBSOCKET, 1, membersPerRoom, 1)};
        List<Window> steps = new ArrayList<>();
        try {
            warmUp(target, load[0], startPerSecond / membersPerRoom);
            double good = 0;
            double bad = 0;
            double rate = startPerSecond;
            while (bad == 0 && rate <= 4_000_000) {
                Window w = rampStep(target, load, membersPerRoom, rate);
                steps.add(w);
                if (holds(w, p99LimitMs)) {
                    good = rate;
                    rate *= 2;
                } else {
                    bad = rate;
                }
            }
            for (int i = 0; i < bisections && bad > 0; i++) {
                rate = (good + bad) / 2;
                Window w = rampStep(target, load, membersPerRoom, rate);
                steps.add(w);
                if (holds(w, p99LimitMs)) {
                    good = rate;
                } else {
                    bad = rate;
                }
            }
            return new Ramp(good, steps);
        } finally {
            load[0].close();
        }
    }

    /**
     * One ramp step. After a step that failed, the server gets 2 s to catch up and the next step starts on
     * new connections, in a new room ({@link #startsOver}).
     */
    private Window rampStep(Target target, ChatLoad[] load, int membersPerRoom, double rate) {
        Window w = step(target, load[0], rate / membersPerRoom, settings.rampStepSeconds());
        if (startsOver(w)) {
            ChatLoad.sleep(2000);
            load[0].close();
            load[0] = prepare(target, WireLoop.Kind.WEBSOCKET, 1, membersPerRoom, 1);
        }
        return w;
    }

    /**
     * Whether the ramp's next step needs new connections: after a step that lost, closed or errored, or whose
     * p99 passed a second. The load generator is open loop, so a publisher the server could not keep up
     * with is left with sends it has not written yet (its connection's queue in {@link WireLoop}), and those
     * would go out ahead of the next step's own: every delivery of that step would then arrive late or be
     * counted lost (seen twice, in the bisection steps after an overload of 1.6M and 3.2M deliveries/s).
     * Closing the load drops that queue; the server still reads what reached its socket, for a room nobody
     * listens to any more.
     */
    static boolean startsOver(Window w) {
        return !w.clean() || w.latency().p99() > 1000;
    }

    private static boolean holds(Window w, double p99LimitMs) {
        return w.clean() && w.latency().p99() <= p99LimitMs;
    }

    /**
     * One connect storm: {@code clients} set-ups (connect, welcome, join, subscribe) and what they cost.
     *
     * @param perSecond          set-ups finished per second, first connect to last subscribe ack
     * @param serverCpuMicros    the server's CPU time per set-up in µs, when its pid is known
     * @param generatorShare     the load generator's CPU share over the storm
     */
    record Storm(double perSecond, OptionalDouble serverCpuMicros, double generatorShare, double steal) {
    }

    /**
     * Connections: a connect storm of new users, the idle hold, then a reconnect storm of the same users, on
     * one server.
     *
     * @param first     the first storm: a fresh server, every user new to its room (joins are real)
     * @param reconnect every client closed, then the same users connecting again: a warm server, each user
     *                  already a member (joins change nothing; presence is announced to the room)
     */
    record Connections(int clients, Storm first, int openAtEnd, RssSampler.Rss rss,
                       Optional<Long> heapBeforeBytes, Optional<Long> heapAfterBytes, Storm reconnect) {
        double connectsPerSecond() {
            return first.perSecond();
        }

        OptionalDouble rssKibPerConnection() {
            return rss.known() ? OptionalDouble.of((double) (rss.afterKib() - rss.beforeKib()) / clients) : OptionalDouble.empty();
        }

        OptionalDouble heapKibPerConnection() {
            return heapBeforeBytes.isPresent() && heapAfterBytes.isPresent()
                    ? OptionalDouble.of((heapAfterBytes.get() - heapBeforeBytes.get()) / 1024.0 / clients)
                    : OptionalDouble.empty();
        }

        boolean noisy() {
            return first.steal() > NOISY_STEAL || reconnect.steal() > NOISY_STEAL;
        }
    }

    /**
     * Connect storm, idle hold, reconnect storm: {@code clients} WebSocket clients over {@code rooms} rooms
     * connect, get their welcome, join and subscribe, {@code inFlight} at a time; they are held for
     * {@code holdSeconds} and the server's memory is read; then all of them close and the same users set up
     * again, as after a network blip or a load balancer's failover.
     */
    Connections connections(Target target, int clients, int rooms, int inFlight, int holdSeconds) {
        String[] roomIds = rooms(target, rooms);
        Optional<Long> heapBefore = target.liveHeapBytes();
        RssSampler rss = new RssSampler(target.pid());
        ChatLoad load = new ChatLoad(target, roomIds, 32);
        Storm first;
        RssSampler.Rss memory;
        Optional<Long> heapAfter;
        int open;
        try {
            first = storm(target, load, clients, inFlight);
            ChatLoad.sleep(holdSeconds * 1000L);
            memory = rss.stop(); // before the forced collection, which may return pages
            heapAfter = target.liveHeapBytes();
            open = load.openConnections();
        } finally {
            rss.close();
            load.close();
        }
        ChatLoad again = new ChatLoad(target, roomIds, 32); // the same user names, room by room, as the first
        try {
            Storm reconnect = storm(target, again, clients, inFlight);
            return new Connections(clients, first, open, memory, heapBefore, heapAfter, reconnect);
        } finally {
            again.close();
        }
    }

    private static Storm storm(Target target, ChatLoad load, int clients, int inFlight) {
        ProcStats.HostCpu host0 = ProcStats.hostCpu();
        long self0 = ProcStats.cpuTicks(ProcessHandle.current().pid());
        long server0 = target.pid().isPresent() ? ProcStats.cpuTicks(target.pid().getAsLong()) : 0;
        long t0 = System.nanoTime();
        double seconds = load.connect(WireLoop.Kind.WEBSOCKET, clients, 0, inFlight, 300_000);
        double wall = (System.nanoTime() - t0) / 1e9;
        double generator = (ProcStats.cpuTicks(ProcessHandle.current().pid()) - self0)
                / (double) ProcStats.TICKS_PER_SECOND / wall;
        OptionalDouble server = target.pid().isPresent()
                ? OptionalDouble.of((ProcStats.cpuTicks(target.pid().getAsLong()) - server0) * 1e6
                        / ProcStats.TICKS_PER_SECOND / clients)
                : OptionalDouble.empty();
        return new Storm(clients / seconds, server, generator, ProcStats.hostCpu().stealSince(host0));
    }

    private ChatLoad prepare(Target target, WireLoop.Kind kind, int rooms, int membersPerRoom, int publishers) {
        ChatLoad load = new ChatLoad(target, rooms(target, rooms), 32);
        try {
            load.connect(kind, rooms * membersPerRoom, publishers, 200, 300_000);
            ChatLoad.sleep(500); // let the server's set-up traffic (joins, presence) settle
            return load;
        } catch (RuntimeException e) {
            load.close();
            throw e;
        }
    }

    static String[] rooms(Target target, int count) {
        Target.Tokens tokens = target.tokens();
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = target.createRoom(tokens, "bench-owner-" + i, "bench-" + i); // an owner each: rooms-per-user-per-hour
        }
        return ids;
    }

    Window step(Target target, ChatLoad load, double messagesPerSecond, double seconds) {
        return Window.of(List.of(measure(target, load, messagesPerSecond, seconds)));
    }

    /**
     * One window's raw figures, which windows of the same server and row add up to one {@link Window}.
     */
    record Measured(double offered, ChatLoad.StepCounts counts, int closed, OptionalDouble serverCpuSeconds,
                    double generatorCpuSeconds, double stealShare, double seconds, String firstProblem,
                    RssSampler.Rss rss, OptionalDouble compilerCpuSeconds) {
    }

    private Measured measure(Target target, ChatLoad load, double messagesPerSecond, double seconds) {
        int count = (int) Math.max(1, Math.round(messagesPerSecond * seconds));
        int closedBefore = load.closedConnections();
        long start = load.startStep(messagesPerSecond, count);
        ChatLoad.sleep(Math.max(0, (start - System.nanoTime()) / 1_000_000));
        long pid = ProcessHandle.current().pid();
        long self0 = ProcStats.cpuTicks(pid);
        long server0 = target.pid().isPresent() ? ProcStats.cpuTicks(target.pid().getAsLong()) : 0;
        long compilers0 = target.pid().isPresent() ? ProcStats.compilerTicks(target.pid().getAsLong()) : 0;
        ProcStats.HostCpu host0 = ProcStats.hostCpu();
        RssSampler rss = new RssSampler(target.pid());
        long t0 = System.nanoTime();
        ChatLoad.StepCounts c = load.finishStep(settings.drainMillis());
        RssSampler.Rss memory = rss.stop();
        double wall = (System.nanoTime() - t0) / 1e9;
        double generator = (ProcStats.cpuTicks(pid) - self0) / (double) ProcStats.TICKS_PER_SECOND;
        OptionalDouble serverCpu = target.pid().isPresent()
                ? OptionalDouble.of((ProcStats.cpuTicks(target.pid().getAsLong()) - server0) / (double) ProcStats.TICKS_PER_SECOND)
                : OptionalDouble.empty();
        OptionalDouble compilers = target.pid().isPresent()
                ? OptionalDouble.of((ProcStats.compilerTicks(target.pid().getAsLong()) - compilers0)
                        / (double) ProcStats.TICKS_PER_SECOND)
                : OptionalDouble.empty();
        double steal = ProcStats.hostCpu().stealSince(host0);
        double offered = messagesPerSecond * (c.expected() / Math.max(1.0, c.sent()));
        return new Measured(offered, c, load.closedConnections() - closedBefore, serverCpu, generator, steal, wall,
                load.firstProblem(), memory, compilers);
    }
}
