package io.parley.domain;

import java.util.Objects;

/**
 * One emoji's reactions to a message, as a reader sees them in history.
 *
 * @param emoji the reaction: an emoji (or a short name the clients agree on), 1 to {@link #MAX_LENGTH}
 *              characters without white space
 * @param count how many users reacted with it
 * @param mine  whether the reader is one of them
 */
public record Reaction(String emoji, int count, boolean mine) {
    /** Longest reaction, in UTF-16 units: room for any emoji sequence (a family with skin tones is 25). */
    public static final int MAX_LENGTH = 32;
    /** Most distinct reactions one message takes. */
    public static final int MAX_PER_MESSAGE = 20;

    /** Validates the reaction. */
    public Reaction {
        Objects.requireNonNull(emoji, "emoji");
        if (count < 1) {
            throw new IllegalArgumentException("a reaction has at least one user");
        }
    }

    /**
     * @param emoji a reaction as a client sent it
     * @return it, unchanged
     * @throws ParleyException {@code invalid} when empty, longer than {@link #MAX_LENGTH}, or holding white
     *                         space or control characters
     */
    public static String checkEmoji(String emoji) {
        if (emoji.isEmpty() || emoji.length() > MAX_LENGTH) {
            throw ParleyException.invalid("emoji must have 1 to " + MAX_LENGTH + " characters");
        }
        if (emoji.codePoints().anyMatch(Character::isWhitespace)) {
            throw ParleyException.invalid("emoji must not hold white space");
        }
        return TextRule.singleLine("emoji", emoji);
    }

    /**
     * @param mine whether the reader reacted with it
     * @return this reaction as that reader sees it
     */
    public Reaction asSeenBy(boolean mine) {
        return new Reaction(emoji, count, mine);
    }
}
