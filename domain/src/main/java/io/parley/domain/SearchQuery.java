package io.parley.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A search of the messages in a user's rooms: the messages whose current text has every word of the query,
 * newest first, in pages. A word is a run of letters and digits, compared without case; the query's other
 * characters only separate words. Deleted messages are never found.
 *
 * @param words the query's words, lower-case, 1 to {@link #MAX_WORDS}
 * @param after the position to continue from; empty for the first page
 * @param limit 1 to {@link #MAX_LIMIT} messages
 */
public record SearchQuery(List<String> words, Optional<Position> after, int limit) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 20;
    /** Largest page size. */
    public static final int MAX_LIMIT = 100;
    /** Longest query text, in characters. */
    public static final int MAX_TEXT = 200;
    /** Most words in a query. */
    public static final int MAX_WORDS = 10;

    /**
     * Where a page ended: the last message's time, room and seq (the order is newest first, then by room
     * and seq, both descending).
     *
     * @param sentAt when the message was stored
     * @param room   its room
     * @param seq    its seq
     */
    public record Position(Instant sentAt, RoomId room, long seq) {
        /** Validates the position. */
        public Position {
            Objects.requireNonNull(sentAt, "sentAt");
            Objects.requireNonNull(room, "room");
            if (seq < 1) {
                throw ParleyException.invalid("seq must be positive");
            }
        }

        /**
         * @param message a found message
         * @return the position just after it
         */
        public static Position of(Message message) {
            return new Position(message.sentAt(), message.room(), message.seq());
        }

        /**
         * @param message any stored message
         * @return whether it comes after this position in the search order
         */
        public boolean precedes(Message message) {
            return ORDER.compare(of(message), this) > 0;
        }
    }

    /** The search order: newest first, then by room id and seq, both descending. */
    public static final java.util.Comparator<Position> ORDER = java.util.Comparator
            .comparing(Position::sentAt, java.util.Comparator.reverseOrder())
            .thenComparing(p -> p.room().value(), java.util.Comparator.reverseOrder())
            .thenComparing(Position::seq, java.util.Comparator.reverseOrder());

    /** Validates the query. */
    public SearchQuery {
        words = List.copyOf(words);
        Objects.requireNonNull(after, "after");
        if (words.isEmpty() || words.size() > MAX_WORDS) {
            throw ParleyException.invalid("a search needs 1 to " + MAX_WORDS + " words");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ParleyException.invalid("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /**
     * @param text  what the user typed: up to {@link #MAX_TEXT} characters with at least one letter or digit
     * @param after where the previous page ended, or empty
     * @param limit page size
     * @return the query
     * @throws ParleyException {@link ErrorCode#INVALID} for a text without words, too long, or with too many
     */
    public static SearchQuery of(String text, Optional<Position> after, int limit) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT) {
            throw ParleyException.invalid("a search is at most " + MAX_TEXT + " characters");
        }
        List<String> words = words(text).stream().distinct().toList();
        if (words.isEmpty()) {
            throw ParleyException.invalid("a search needs a word: letters or digits");
        }
        return new SearchQuery(words, after, limit);
    }

    /**
     * @param text any text
     * @return its words, lower-case, in order (repeats kept)
     */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : ' ';
            if (Character.isLetterOrDigit(cp)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += i < text.length() ? Character.charCount(cp) : 1;
        }
        return words;
    }

    /**
     * @param message any stored message
     * @return whether it is found by this query: not deleted, and its text has every word
     */
    public boolean matches(Message message) {
        return !message.deleted() && words(message.body()).containsAll(words);
    }
}
