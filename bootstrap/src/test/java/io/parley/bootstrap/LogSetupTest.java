package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.engine.ConnectionLog;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSetupTest {
    private final LogSetup.JsonLines json = new LogSetup.JsonLines();

    @Test
    void a_connection_line_in_json_carries_its_fields_with_their_types() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "closed");
        fields.put("session", "s-1");
        fields.put("ua", "bad\nagent");
        fields.put("code", 4008);
        fields.put("frames_out", 12L);
        LogRecord record = new LogRecord(Level.INFO, "{0}");
        record.setLoggerName(ConnectionLog.LOGGER);
        record.setParameters(new Object[]{new ConnectionLog.Entry(fields)});

        String line = json.format(record);
        assertEquals(1, line.strip().lines().count(), line);
        JsonNode parsed = Json.parse(line);
        assertEquals("INFO", parsed.get("level").asText());
        assertEquals(ConnectionLog.LOGGER, parsed.get("logger").asText());
        assertEquals("connection closed", parsed.get("message").asText());
        assertEquals("s-1", parsed.get("session").asText());
        assertEquals(4008, parsed.get("code").asInt());
        assertTrue(parsed.get("frames_out").isNumber());
        assertEquals("bad\\u000aagent", parsed.get("ua").asText());
    }

    @Test
    void text_lines_are_what_the_shipped_simple_formatter_pattern_writes() {
        ZoneId zone = ZoneId.of("Asia/Kolkata"); // an offset of half an hour: the zone is applied, not UTC
        LogSetup.TextLines text = new LogSetup.TextLines(zone);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "opened");
        fields.put("ua", "a \"quoted\" agent");
        LogRecord connection = new LogRecord(Level.INFO, "{0}");
        connection.setParameters(new Object[]{new ConnectionLog.Entry(fields)});
        LogRecord failure = new LogRecord(Level.WARNING, "store {0} is slow");
        failure.setParameters(new Object[]{"pg"});
        failure.setThrown(new IllegalStateException("boom"));
        LogRecord plain = new LogRecord(Level.SEVERE, "50% done");
        long[] times = {1_764_940_524_428L, 1_764_940_524_007L, 1_764_940_525_000L, 1_764_940_524_999L, 86_400_000L};
        for (LogRecord record : List.of(connection, failure, plain)) {
            for (long millis : times) {
                record.setLoggerName("io.parley.x");
                record.setInstant(Instant.ofEpochMilli(millis));
                assertEquals(simpleFormatter(record, zone), text.format(record), "at " + millis);
            }
        }
    }

    /** What java.util.logging.SimpleFormatter writes with the shipped pattern (its own code, inlined). */
    private static String simpleFormatter(LogRecord record, ZoneId zone) {
        String throwable = "";
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            PrintWriter out = new PrintWriter(trace);
            out.println();
            record.getThrown().printStackTrace(out);
            out.close();
            throwable = trace.toString();
        }
        return String.format(LogSetup.TextLines.PATTERN, ZonedDateTime.ofInstant(record.getInstant(), zone),
                "", record.getLoggerName(), record.getLevel().getLocalizedName(),
                new SimpleFormatter().formatMessage(record), throwable);
    }

    @Test
    void any_other_line_in_json_has_its_message_and_its_error() {
        LogRecord record = new LogRecord(Level.WARNING, "store {0} is slow");
        record.setLoggerName("io.parley.x");
        record.setParameters(new Object[]{"pg"});
        record.setThrown(new IllegalStateException("boom"));

        JsonNode parsed = Json.parse(json.format(record));
        assertEquals("store pg is slow", parsed.get("message").asText());
        assertEquals("WARNING", parsed.get("level").asText());
        assertTrue(parsed.get("error").asText().startsWith("java.lang.IllegalStateException: boom"));
        assertTrue(parsed.get("ts").asText().endsWith("Z"));
    }
}
