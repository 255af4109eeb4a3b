package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ConnectionLogTest {
    @Test
    void a_line_is_logfmt_with_values_quoted_only_when_they_need_it() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "opened");
        fields.put("user", "ann smith");
        fields.put("ua", "say \"hi\" = \\");
        fields.put("code", 1000);
        fields.put("empty", "");
        assertEquals("connection event=opened user=\"ann smith\" ua=\"say \\\"hi\\\" = \\\\\" code=1000 empty=\"\"",
                new ConnectionLog.Entry(fields).toString());
    }

    @Test
    void a_client_chosen_value_stays_on_one_line_and_is_cut() {
        String line = new ConnectionLog.Entry(Map.of("ua", "a\nconnection event=forged\r\u2028x")).toString();
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028"), line);
        // Quoted, so its backslashes are doubled: a logfmt reader gets the escapes back as they were.
        assertTrue(line.contains("a\\\\u000aconnection event=forged\\\\u000d\\\\u2028x"), line);

        String cut = ConnectionLog.printable("y".repeat(10_000));
        assertEquals(ConnectionLog.MAX_VALUE + 1, cut.length());
        assertTrue(cut.endsWith("…"));
        assertEquals("short", ConnectionLog.printable("short"));
    }

    @Test
    void a_log_that_does_not_keep_up_holds_up_no_connection_and_the_lines_it_missed_are_counted() throws Exception {
        Logger logger = Logger.getLogger(ConnectionLog.LOGGER);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<LogRecord> written = new ArrayList<>();
        Handler stuck = new Handler() {
            @Override
            public void publish(LogRecord record) {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (written) {
                    written.add(record);
                    written.notifyAll();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        boolean parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(stuck);
        try {
            ConnectionLog.opened("first", "u", TransportKind.WEBSOCKET, Peer.UNKNOWN, false);
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "the writer took the first line");
            long started = System.nanoTime();
            for (int i = 0; i < ConnectionLog.BACKLOG + 5; i++) { // the backlog fills, five are dropped
                ConnectionLog.opened("s" + i, "u", TransportKind.WEBSOCKET, Peer.UNKNOWN, false);
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "callers never wait for the log");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (written) {
                while (written.stream().filter(r -> r.getLevel() == Level.INFO).count() < ConnectionLog.BACKLOG + 1) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("only " + written.size() + " lines written");
                    }
                    written.wait(Math.max(1, left / 1_000_000));
                }
                // The line under way and the backlog are written; the warning with them, once.
                List<String> warnings = written.stream().filter(r -> r.getLevel() == Level.WARNING)
                        .map(LogRecord::getMessage).toList();
                assertEquals(List.of("5 connection log lines dropped: the log did not keep up"), warnings);
            }
        } finally {
            release.countDown();
            logger.removeHandler(stuck);
            logger.setUseParentHandlers(parents);
        }
    }
}
