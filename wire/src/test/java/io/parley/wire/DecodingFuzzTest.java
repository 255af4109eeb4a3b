package io.parley.wire;

import io.parley.domain.ErrorCode;
import io.parley.domain.ParleyException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client input is hostile: whatever arrives, decoding answers with a command or a rejection and never
 * throws. Seeded, so a failure reproduces.
 */
class DecodingFuzzTest {
    private static final long SEED = 20240501L;
    private static final int ROUNDS = 10_000;
    private static final String[] TYPES = {"subscribe", "unsubscribe", "join", "leave", "send", "edit", "delete",
            "typing", "read", "presence", "ping", "pong", ""};
    private static final String[] FIELDS = {"type", "ref", "room", "after", "body", "client_id", "attachment_url",
            "message_id", "active", "seq", "status", "name", "visibility", "members"};
    private static final String[] VALID = {
            "{\"type\":\"subscribe\",\"ref\":\"r\",\"room\":\"*\",\"after\":{\"a\":1,\"b\":2}}",
            "{\"type\":\"send\",\"ref\":\"r\",\"room\":\"a\",\"body\":\"h\\u00e9\",\"client_id\":\"c\"}",
            "[{\"type\":\"read\",\"room\":\"a\",\"seq\":3},{\"type\":\"typing\",\"room\":\"a\",\"active\":true}]",
            "{\"name\":\"T\",\"visibility\":\"private\",\"members\":[\"bob\"]}",
    };
    private static final Set<String> DECODE_CODES = Set.of("invalid", "unknown_type");

    private final ProtocolCodec codec = ProtocolCodec.create();

    @Test
    void random_garbage_never_makes_decoding_throw() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String input = switch (round % 3) {
                case 0 -> garbage(random);
                case 1 -> mutate(random, VALID[random.nextInt(VALID.length)]);
                default -> randomCommand(random);
            };
            accepted += decodeEverywhere(input);
        }
        // the structured inputs must reach the field checks, not all die at the parser
        assertTrue(accepted > 100, "accepted only " + accepted);
    }

    /** Feeds one input to every decoding entry point; returns 1 when {@code decode} accepted it. */
    private int decodeEverywhere(String input) {
        Decoded decoded = codec.decode(input);
        assertNotNull(decoded);
        if (decoded instanceof Decoded.Rejected rejected) {
            assertTrue(DECODE_CODES.contains(rejected.error().code()), () -> rejected + " for " + input);
            assertFalse(rejected.error().message().isEmpty());
        }
        List<Decoded> batch = codec.decodeCommands(input);
        assertNotNull(batch);
        try {
            codec.decodeCreateRoom(input);
        } catch (ParleyException e) {
            assertEquals(ErrorCode.INVALID, e.code(), input);
        }
        return decoded instanceof Decoded.Command ? 1 : 0;
    }

    private static String garbage(Random random) {
        String alphabet = "{}[]\":,\\ \t\n0123456789-+.eEtruefalsnl*abc\u0000\u001f\u00e9\uD83D\uDE00\uD800\uFEFF";
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x10000)
                    : alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String mutate(Random random, String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && !text.isEmpty(); i++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, "{}[]\",:0-n\\"
                        .charAt(random.nextInt(11)));
                default -> text.setCharAt(at, (char) random.nextInt(128));
            }
        }
        return text.toString();
    }

    /** A well-formed object with protocol field names and values of random JSON types. */
    private static String randomCommand(Random random) {
        StringBuilder text = new StringBuilder("{\"type\":\"").append(TYPES[random.nextInt(TYPES.length)]).append('"');
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            text.append(",\"").append(FIELDS[1 + random.nextInt(FIELDS.length - 1)]).append("\":")
                    .append(randomValue(random, 0));
        }
        return text.append('}').toString();
    }

    private static String randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 2 ? 9 : 11)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Integer.toString(random.nextInt(100));
            case 4 -> Double.toString(random.nextDouble() * 100);
            case 5 -> "\"*\"";
            case 6 -> "\"\"";
            case 7 -> "\"" + List.of("online", "away", "offline", "open", "private", "a", " a", "\\u0001")
                    .get(random.nextInt(8)) + "\"";
            case 8 -> "99999999999999999999999";
            case 9 -> "{\"a\":" + randomValue(random, depth + 1) + "}";
            default -> "[" + randomValue(random, depth + 1) + "," + randomValue(random, depth + 1) + "]";
        };
    }
}
