package io.parley.domain;

import java.util.Map;

/**
 * Size limits on user-supplied text. Counted in Unicode code points, so an emoji counts once.
 *
 * @param maxBodyLength          longest message body
 * @param maxRoomNameLength      longest room name
 * @param maxDisplayNameLength   longest display name (longer names from tokens are cut, not refused)
 * @param maxAttachmentUrlLength longest attachment URL
 * @param maxClientIdLength      longest client-chosen message id used for idempotent sends
 */
public record ChatLimits(int maxBodyLength,
                         int maxRoomNameLength,
                         int maxDisplayNameLength,
                         int maxAttachmentUrlLength,
                         int maxClientIdLength) {
    /**
     * The largest seq a client may name ({@code after}, {@code seq}, history bounds): 2^53 − 1, the
     * largest integer JavaScript holds exactly. A room never gets near it; anything above is refused as
     * {@code invalid} where it enters, instead of overflowing arithmetic further in.
     */
    public static final long MAX_SEQ = (1L << 53) - 1;

    /** Most users one message mentions. */
    public static final int MAX_MENTIONS = 20;
    /** Longest room topic, in code points. */
    public static final int MAX_TOPIC_LENGTH = 500;
    /** Most keys in a room's metadata. */
    public static final int MAX_METADATA_KEYS = 50;
    /** Longest metadata key: 1 to this many of {@code A-Z a-z 0-9 _ . : -}. */
    public static final int MAX_METADATA_KEY_LENGTH = 40;
    /** Longest metadata value, in code points. */
    public static final int MAX_METADATA_VALUE_LENGTH = 500;
    /** Most bytes (UTF-8) of a room's metadata keys and values together. */
    public static final int MAX_METADATA_BYTES = 8192;

    /** The defaults: 4,000-character bodies, 100-character names, 2,048-character URLs. */
    public static final ChatLimits DEFAULTS = new ChatLimits(4000, 100, 100, 2048, 128);

    /** Validates that every limit is positive. */
    public ChatLimits {
        if (maxBodyLength < 1 || maxRoomNameLength < 1 || maxDisplayNameLength < 1
                || maxAttachmentUrlLength < 1 || maxClientIdLength < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Checks a message body: not blank, within the limit, {@link TextRule#multiLine multi-line text}.
     *
     * @param body the body as the client sent it
     * @return the body, unchanged
     */
    public String checkBody(String body) {
        if (body == null || body.isBlank()) {
            throw ParleyException.invalid("body must not be empty");
        }
        if (body.codePointCount(0, body.length()) > maxBodyLength) {
            throw ParleyException.tooLarge("body is longer than " + maxBodyLength + " characters");
        }
        return TextRule.multiLine("body", body);
    }

    /**
     * Checks a room name: not blank, within the limit, {@link TextRule#singleLine single-line text};
     * surrounding space removed.
     *
     * @param name the name as the client sent it
     * @return the stripped name
     */
    public String checkRoomName(String name) {
        if (name == null || name.isBlank()) {
            throw ParleyException.invalid("room name must not be empty");
        }
        return strippedLine("room name", name, maxRoomNameLength);
    }

    /** Strips {@code value} and checks it is {@link TextRule#singleLine single-line text} of at most {@code max}. */
    private static String strippedLine(String field, String value, int max) {
        String stripped = value.strip();
        if (stripped.codePointCount(0, stripped.length()) > max) {
            throw ParleyException.tooLarge(field + " is longer than " + max + " characters");
        }
        return TextRule.singleLine(field, stripped);
    }

    /**
     * Checks an attachment URL: an absolute {@code http} or {@code https} URL within the limit.
     *
     * @param url the URL
     * @return the URL, unchanged
     */
    public String checkAttachmentUrl(String url) {
        return checkUrl("attachment_url", url);
    }

    private String checkUrl(String field, String url) {
        if (url.length() > maxAttachmentUrlLength) {
            throw ParleyException.tooLarge(field + " is longer than " + maxAttachmentUrlLength + " characters");
        }
        TextRule.singleLine(field, url);
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw ParleyException.invalid(field + " is not a valid URL");
        }
        String scheme = uri.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw ParleyException.invalid(field + " must be an absolute http or https URL");
        }
        return url;
    }

    /**
     * Checks a client-chosen message id: 1 to the limit's characters, {@link TextRule#singleLine single-line
     * text} (the protocol's rule for ids).
     *
     * @param clientId the id
     * @return the id, unchanged
     */
    public String checkClientId(String clientId) {
        if (clientId.isEmpty() || clientId.length() > maxClientIdLength) {
            throw ParleyException.invalid("client_id must have 1 to " + maxClientIdLength + " characters");
        }
        return TextRule.singleLine("client_id", clientId);
    }

    /**
     * Makes a display name fit: control characters and unpaired surrogates removed, cut to the limit. Display names come from
     * tokens, so they are cleaned rather than refused.
     *
     * @param name the name from the token
     * @return the cleaned name
     */
    public String fitDisplayName(String name) {
        StringBuilder sb = new StringBuilder();
        TextRule.clean(name.strip()).codePoints()
                .limit(maxDisplayNameLength)
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /**
     * Checks a room topic: within {@link #MAX_TOPIC_LENGTH}, {@link TextRule#singleLine single-line text},
     * surrounding space removed.
     *
     * @param topic the topic, not empty
     * @return the stripped topic
     */
    public String checkTopic(String topic) {
        return strippedLine("topic", topic, MAX_TOPIC_LENGTH);
    }

    /**
     * Checks a room picture's URL as an attachment's: absolute {@code http(s)}, within the URL limit.
     *
     * @param url the URL
     * @return the URL, unchanged
     */
    public String checkAvatarUrl(String url) {
        return checkUrl("avatar_url", url);
    }

    /**
     * Checks the keys and values a metadata change names: keys of 1 to {@link #MAX_METADATA_KEY_LENGTH} of
     * {@code A-Z a-z 0-9 _ . : -}, values within {@link #MAX_METADATA_VALUE_LENGTH} and free of control
     * characters but line breaks (an empty value removes its key).
     *
     * @param change keys to values
     * @return the change, unchanged
     */
    public Map<String, String> checkMetadataChange(Map<String, String> change) {
        if (change.size() > MAX_METADATA_KEYS) {
            throw ParleyException.tooLarge("metadata has at most " + MAX_METADATA_KEYS + " keys");
        }
        change.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH
                    || !key.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "_.:-".indexOf(c) >= 0))) {
                throw ParleyException.invalid("metadata keys have 1 to " + MAX_METADATA_KEY_LENGTH
                        + " of A-Z a-z 0-9 _ . : -");
            }
            if (value.codePointCount(0, value.length()) > MAX_METADATA_VALUE_LENGTH) {
                throw ParleyException.tooLarge("metadata value of " + key + " is longer than "
                        + MAX_METADATA_VALUE_LENGTH + " characters");
            }
            TextRule.multiLine("metadata value", value);
        });
        return change;
    }

    /**
     * Checks a room's metadata as a change would leave it: at most {@link #MAX_METADATA_KEYS} keys and
     * {@link #MAX_METADATA_BYTES} bytes.
     *
     * @param metadata keys to values
     * @return the metadata, unchanged
     */
    public Map<String, String> checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw ParleyException.tooLarge("a room's metadata has at most " + MAX_METADATA_KEYS + " keys");
        }
        long bytes = metadata.entrySet().stream().mapToLong(e -> utf8Length(e.getKey()) + utf8Length(e.getValue()))
                .sum();
        if (bytes > MAX_METADATA_BYTES) {
            throw ParleyException.tooLarge("a room's metadata has at most " + MAX_METADATA_BYTES + " bytes");
        }
        return metadata;
    }

    private static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
