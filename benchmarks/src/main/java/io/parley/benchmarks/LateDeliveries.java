package io.parley.benchmarks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * With {@code --late-ms N}: prints the stalls of a run, so that a tail can be lined up with the server's GC
 * log, JFR recording or {@code perf sched} trace. A message is late when its first delivery came more than
 * the threshold after its scheduled send; late messages due within {@value #GAP_MILLIS} ms of each other are
 * one stall, printed as one line with the wall-clock times (UTC) they were due and their worst lateness.
 * Not thread-safe: the load generator's loop thread only.
 */
final class LateDeliveries {
    static final long GAP_MILLIS = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final String name;
    private final long thresholdMicros;
    private final PrintStream out;
    private int messages;
    private long firstDue;
    private long lastDue;
    private long worstMicros;

    /**
     * @param name            the server, printed with each stall
     * @param thresholdMillis how late a first delivery must be to count
     * @param out             where stalls are printed
     */
    LateDeliveries(String name, long thresholdMillis, PrintStream out) {
        this.name = name;
        this.thresholdMicros = thresholdMillis * 1000;
        this.out = out;
    }

    /** @return whether a first delivery this late counts */
    boolean late(long latencyMicros) {
        return latencyMicros > thresholdMicros;
    }

    /**
     * Counts one late message (call once per message).
     *
     * @param dueEpochMillis when it was scheduled to be sent, wall-clock
     * @param latencyMicros  how long after that its first delivery came
     */
    void add(long dueEpochMillis, long latencyMicros) {
        if (messages > 0 && dueEpochMillis - lastDue > GAP_MILLIS) {
            flush();
        }
        if (messages == 0) {
            firstDue = dueEpochMillis;
            worstMicros = 0;
        }
        messages++;
        lastDue = Math.max(lastDue, dueEpochMillis);
        firstDue = Math.min(firstDue, dueEpochMillis);
        worstMicros = Math.max(worstMicros, latencyMicros);
    }

    /** Prints the stall under way, if any. */
    void flush() {
        if (messages == 0) {
            return;
        }
        out.printf("late %s: %d message%s due %s–%s UTC, the worst first delivered %.1f ms after its schedule%n",
                name, messages, messages == 1 ? "" : "s", time(firstDue), time(lastDue), worstMicros / 1000.0);
        messages = 0;
        lastDue = 0;
    }

    private static String time(long epochMillis) {
        return LocalTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).format(TIME);
    }
}
