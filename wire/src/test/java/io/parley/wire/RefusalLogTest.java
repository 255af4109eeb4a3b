package io.parley.wire;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusalLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RefusalLog log = new RefusalLog(now::get, Duration.ofSeconds(60));
    private final Logger logger = Logger.getLogger(RefusalLog.LOGGER);
    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
        logger.setUseParentHandlers(true);
    }

    @Test
    void the_first_refusal_of_a_kind_is_logged_at_once_and_the_next_ones_are_counted_into_one_line_a_minute() {
        ParleyException expired = new ParleyException(ErrorCode.UNAUTHORIZED, "token expired");
        log.refused(expired, "GET", "/v1/events?access_token=eyJsecret", "198.51.100.7");
        assertEquals(List.of("refused 1 request(s) with 401 unauthorized in the last 60 s, e.g. GET /v1/events "
                + "from 198.51.100.7: token expired"), lines);

        for (int i = 0; i < 5; i++) {
            now.addAndGet(Duration.ofSeconds(10).toNanos());
            log.refused(expired, "GET", "/v1/poll", "198.51.100.8");
        }
        assertEquals(1, lines.size(), "nothing more within the minute");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.refused(expired, "POST", "/v1/commands", "198.51.100.9");
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("refused 6 request(s) with 401 unauthorized"), lines.get(1));
        assertFalse(String.join("\n", lines).contains("eyJsecret"), "no query, so no token");
    }

    @Test
    void each_kind_of_refusal_has_its_own_minute_and_a_forbidden_origin_is_named() {
        log.refused(ParleyException.forbidden("origin not allowed"), "GET", "/v1/ws", "-",
                Optional.of("https://evil.example\n"));
        log.refused(426, "upgrade_required", "GET", "/v1/ws", "10.0.0.1", "the Upgrade header did not arrive");
        log.refused(ParleyException.forbidden("origin not allowed"), "GET", "/v1/ws", "-", Optional.empty());

        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("origin not allowed (Origin https://evil.example\\u000a)"), lines.get(0));
        assertTrue(lines.get(1).contains("with 426 upgrade_required"), lines.get(1));
    }
}
