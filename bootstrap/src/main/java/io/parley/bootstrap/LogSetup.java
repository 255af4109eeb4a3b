package io.parley.bootstrap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.config.Config;
import io.parley.engine.ConnectionLog;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server's log settings ({@code parley.log}): the line format ({@code text}, as {@code logging.properties}
 * sets it, or {@code json}, one object per line for log shippers) and whether the connection log is on.
 */
final class LogSetup {
    private static final JsonFactory JSON = new JsonFactory();
    /** Held so the level set here is not lost when the logger is otherwise unreferenced. */
    private static final Logger CONNECTIONS = Logger.getLogger(ConnectionLog.LOGGER);

    private LogSetup() {
    }

    /**
     * Applies {@code parley.log} to the JVM's logging.
     *
     * @param log the {@code parley.log} configuration
     */
    static void apply(Config log) {
        String format = log.get("format").asString().orElse("text").strip().toLowerCase(Locale.ROOT);
        switch (format) {
            case "text" -> {
                // logging.properties' SimpleFormatter stays
            }
            case "json" -> {
                for (Handler handler : Logger.getLogger("").getHandlers()) {
                    handler.setFormatter(new JsonLines());
                }
            }
            default -> throw new IllegalStateException("parley.log.format must be text or json, not '" + format
                    + "' (PARLEY_LOG_FORMAT)");
        }
        CONNECTIONS.setLevel(log.get("connections").asBoolean().orElse(true) ? Level.INFO : Level.OFF);
    }

    /**
     * One JSON object per record: {@code ts}, {@code level}, {@code logger}, {@code message} and, for a
     * connection log line, its fields themselves; {@code error} holds an exception's stack trace.
     */
    static final class JsonLines extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringWriter out = new StringWriter(256);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("ts", Instant.ofEpochMilli(record.getMillis()).toString());
                json.writeStringField("level", record.getLevel().getName());
                json.writeStringField("logger", record.getLoggerName());
                Object[] parameters = record.getParameters();
                if (parameters != null && parameters.length == 1 && parameters[0] instanceof ConnectionLog.Entry entry) {
                    json.writeStringField("message", "connection " + entry.fields().get("event"));
                    for (Map.Entry<String, Object> field : entry.fields().entrySet()) {
                        writeField(json, field.getKey(), field.getValue());
                    }
                } else {
                    json.writeStringField("message", formatMessage(record));
                }
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    json.writeStringField("error", trace.toString());
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.append(System.lineSeparator()).toString();
        }

        private static void writeField(JsonGenerator json, String name, Object value) throws IOException {
            switch (value) {
                case Long number -> json.writeNumberField(name, number);
                case Integer number -> json.writeNumberField(name, number);
                case Boolean flag -> json.writeBooleanField(name, flag);
                case String text -> json.writeStringField(name, ConnectionLog.printable(text));
                default -> json.writeStringField(name, String.valueOf(value));
            }
        }
    }
}
