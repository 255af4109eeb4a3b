package io.parley.domain;

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
     * @param body the body
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
     * @param name the name
     * @return the stripped name
     */
    public String checkRoomName(String name) {
        if (name == null || name.isBlank()) {
            throw ParleyException.invalid("room name must not be empty");
        }
        String stripped = name.strip();
        if (stripped.codePointCount(0, stripped.length()) > maxRoomNameLength) {
            throw ParleyException.tooLarge("room name is longer than " + maxRoomNameLength + " characters");
        }
        return TextRule.singleLine("room name", stripped);
    }

    /**
     * Checks an attachment URL: an absolute {@code http} or {@code https} URL within the limit.
     *
     * @param url the URL
     * @return the URL, unchanged
     */
    public String checkAttachmentUrl(String url) {
        if (url.length() > maxAttachmentUrlLength) {
            throw ParleyException.tooLarge("attachment_url is longer than " + maxAttachmentUrlLength + " characters");
        }
        TextRule.singleLine("attachment_url", url);
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw ParleyException.invalid("attachment_url is not a valid URL");
        }
        String scheme = uri.getScheme();
        if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw ParleyException.invalid("attachment_url must be an absolute http or https URL");
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
}
