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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

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
                // The layout logging.properties gives, written without java.util.Formatter: a line per
                // connection made SimpleFormatter's pattern parsing a tenth of a connect storm's CPU. A
                // logging configuration of the deployment's own (another pattern) is left as it is.
                if (TextLines.PATTERN.equals(LogManager.getLogManager().getProperty(TextLines.PATTERN_PROPERTY))) {
                    for (Handler handler : Logger.getLogger("").getHandlers()) {
                        if (handler.getFormatter() instanceof SimpleFormatter) {
                            handler.setFormatter(new TextLines(ZoneId.systemDefault()));
                        }
                    }
                }
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
     * What {@code logging.properties}' {@link SimpleFormatter} pattern ({@value #PATTERN}) writes, as
     * {@code 2026-12-05T13:55:24.428 INFO io.parley.connections: connection event=opened …} and the stack
     * trace of an exception on the lines after, in the JVM's time zone; the date and time up to the second is
     * made once per second. A connection log line is written from its fields without a message format.
     */
    static final class TextLines extends Formatter {
        static final String PATTERN_PROPERTY = "java.util.logging.SimpleFormatter.format";
        static final String PATTERN = "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n";
        private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

        private final ZoneId zone;
        /** The last second written and its text, replaced together. */
        private volatile Second second = new Second(Long.MIN_VALUE, "");

        TextLines(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(200);
            long millis = record.getMillis();
            long epochSecond = Math.floorDiv(millis, 1000);
            Second current = second;
            if (current.epochSecond() != epochSecond) {
                current = new Second(epochSecond, SECOND.format(Instant.ofEpochSecond(epochSecond).atZone(zone)));
                second = current;
            }
            int milli = (int) Math.floorMod(millis, 1000);
            line.append(current.text()).append('.')
                    .append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10))
                    .append(' ').append(record.getLevel().getLocalizedName())
                    .append(' ').append(record.getLoggerName()).append(": ");
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length == 1 && parameters[0] instanceof ConnectionLog.Entry entry) {
                line.append(entry);
            } else {
                line.append(formatMessage(record));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace);
            }
            return line.append(System.lineSeparator()).toString();
        }

        private record Second(long epochSecond, String text) {
        }
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
