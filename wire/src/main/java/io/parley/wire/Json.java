package io.parley.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The one configured Jackson mapper, with the reading rules the protocol needs. Thread-safe.
 */
final class Json {
    /** Commands are two levels deep; anything much deeper is garbage, refused before it costs anything. */
    private static final int MAX_NESTING_DEPTH = 32;

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    Json() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                // a repeated key is ambiguous (which one did the client mean?): refuse it
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // parse errors must not echo the client's input back into logs or error events
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // Jackson's default keeps its read/write buffers per thread; a virtual thread per connection
                // or per task then allocates fresh ones for almost every frame. A shared pool recycles them.
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Parses a JSON text into a tree.
     *
     * @throws MalformedJson when the text is not exactly one JSON value within the limits
     */
    JsonNode read(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new MalformedJson("malformed JSON: empty");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new MalformedJson("malformed JSON: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedJson(at == null
                    ? "malformed JSON"
                    : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
    }

    /** Writes one JSON value with the streaming generator and returns its text. */
    String write(JsonBody body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            // a StringWriter never fails; this is a bug in a body writer
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The protocol's timestamp form: ISO-8601 in UTC with a {@code Z} suffix, fractional seconds only when
     * non-zero (as {@link Instant#toString()}, spelled out so no offset form can ever appear).
     */
    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    interface JsonBody {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** A text that is not one well-formed JSON value; the message is safe to send to the client. */
    static final class MalformedJson extends RuntimeException {
        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }
}
