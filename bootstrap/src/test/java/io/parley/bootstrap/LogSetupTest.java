package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.engine.ConnectionLog;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

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
