package io.parley.engine;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
