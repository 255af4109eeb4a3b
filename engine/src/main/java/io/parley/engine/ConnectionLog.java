package io.parley.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection log: one line when a connection opens and one when it closes, on the logger
 * {@value #LOGGER} at INFO (route or silence it by that name). Each line is {@code key=value} pairs
 * (logfmt); a JSON formatter can take the fields themselves from the record's one parameter, an
 * {@link Entry}. Never a token: the fields are the session, the user, the transport, where the client is
 * and what it says it is, and for a close how long it lasted, its close code and reason, and how many frames
 * went each way. Values a client chose (its {@code User-Agent}) are cut to {@value #MAX_VALUE} characters
 * and their control characters escaped, so a line stays one line.
 *
 * <p>Lines are written by a thread of their own, not by the connection's: a connection's virtual thread
 * that blocked in the log handler (stdout, a pipe) would keep a deep stack for as long as the connection
 * lives (about 1 KiB per idle connection, measured), and a slow log would hold up connects. When
 * {@value #BACKLOG} lines wait, further ones are dropped and counted in a warning.
 */
public final class ConnectionLog {
    /** The logger the lines go to. */
    public static final String LOGGER = "io.parley.connections";
    static final int MAX_VALUE = 200;
    static final int BACKLOG = 10_000;
    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final AtomicLong DROPPED = new AtomicLong();
    private static final ExecutorService WRITER = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(BACKLOG), Thread.ofPlatform().daemon().name("parley-connection-log").factory(),
            (line, executor) -> DROPPED.incrementAndGet());

    private ConnectionLog() {
    }

    /**
     * A connection opened.
     *
     * @param session   the session id
     * @param user      the user id
     * @param transport WebSocket, SSE or long-poll
     * @param peer      where it came from
     * @param resumed   whether it resumed an existing session (SSE, long-poll)
     */
    public static void opened(String session, String user, TransportKind transport, Peer peer, boolean resumed) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        Map<String, Object> fields = line("opened", session, user, transport, peer);
        if (transport.resumable()) {
            fields.put("resumed", resumed);
        }
        write(new Entry(fields));
    }

    /**
     * A connection closed.
     *
     * @param session   the session id
     * @param user      the user id
     * @param transport WebSocket, SSE or long-poll
     * @param peer      where it came from
     * @param lasted    how long it was open
     * @param code      the close code (WebSocket's, or what an SSE stream's {@code close} event said); negative
     *                  when there was none (an SSE client that went away): the field is left out
     * @param reason    why, in a word or two ({@code peer_closed}, {@code slow_consumer} …)
     * @param framesIn  frames (commands) received; negative when the connection carries none (SSE: commands
     *                  are posted separately): the field is left out
     * @param framesOut frames (events and replies) written
     */
    public static void closed(String session, String user, TransportKind transport, Peer peer, Duration lasted,
                              int code, String reason, long framesIn, long framesOut) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        Map<String, Object> fields = line("closed", session, user, transport, peer);
        fields.put("duration_ms", lasted.toMillis());
        if (code >= 0) {
            fields.put("code", code);
        }
        fields.put("reason", reason);
        if (framesIn >= 0) {
            fields.put("frames_in", framesIn);
        }
        fields.put("frames_out", framesOut);
        write(new Entry(fields));
    }

    /**
     * A resumable session (SSE or long-poll) ended: it stopped streaming or polling for two heartbeat
     * intervals, and the node that announced its presence ends it. One line per session, after the lines of
     * its streams; its transport is not known here (a resumable session may move between SSE and long-poll).
     *
     * @param session  the session id
     * @param user     the user id
     * @param lastSeen when it last streamed or polled
     */
    public static void resumableEnded(String session, String user, Instant lastSeen) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "closed");
        fields.put("session", session);
        fields.put("user", user);
        fields.put("transport", "resumable");
        fields.put("reason", "silent");
        fields.put("last_seen", lastSeen.toString());
        write(new Entry(fields));
    }

    private static void write(Entry entry) {
        WRITER.execute(() -> {
            long dropped = DROPPED.getAndSet(0);
            if (dropped > 0) {
                LOG.log(System.Logger.Level.WARNING, dropped + " connection log lines dropped: the log did not keep up");
            }
            LOG.log(System.Logger.Level.INFO, "{0}", entry);
        });
    }

    private static Map<String, Object> line(String event, String session, String user, TransportKind transport,
                                            Peer peer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event);
        fields.put("session", session);
        fields.put("user", user);
        fields.put("transport", transport.wireName());
        fields.put("client", peer.address());
        fields.put("ua", peer.userAgent());
        return fields;
    }

    /**
     * One line's fields, in order. Its {@link #toString()} is the logfmt line.
     *
     * @param fields names and values (strings, numbers, booleans)
     */
    public record Entry(Map<String, Object> fields) {
        public Entry {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public String toString() {
            StringBuilder line = new StringBuilder("connection");
            fields.forEach((name, value) -> line.append(' ').append(name).append('=').append(logfmt(value)));
            return line.toString();
        }
    }

    /** A value as logfmt: bare when it can be, else quoted; control characters escaped, cut when long. */
    static String logfmt(Object value) {
        if (!(value instanceof String text)) {
            return String.valueOf(value);
        }
        String safe = printable(text);
        boolean bare = !safe.isEmpty() && safe.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c != '\\');
        return bare ? safe : '"' + safe.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * A client-chosen value made safe for one log line: control characters (and the line and paragraph
     * separators) as {@code \\uXXXX}, and at most {@value #MAX_VALUE} characters, the cut marked with
     * {@code …}.
     */
    public static String printable(String text) {
        return printable(text, MAX_VALUE);
    }

    /**
     * As {@link #printable(String)}, cut at {@code max} characters.
     *
     * @param text the value
     * @param max  the most characters kept
     * @return the value, safe for one log line
     */
    public static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 8));
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (i < text.length()) {
            out.setLength(Math.min(out.length(), max));
            out.append('…');
        }
        return out.toString();
    }
}
