package io.parley.domain;

/**
 * The one rule for characters in text a client sends, checked here so that every store keeps the same
 * thing: PostgreSQL cannot hold NUL at all and writes an unpaired surrogate as {@code ?}, while the
 * in-memory store would keep both.
 * <ul>
 *   <li>Every value must be valid Unicode: a UTF-16 surrogate only as half of a pair.</li>
 *   <li>Single-line values (ids, room names, {@code client_id}, URLs) contain no control characters
 *       (U+0000–U+001F, U+007F–U+009F).</li>
 *   <li>Message bodies may contain tab, line feed and carriage return, and no other control character.</li>
 * </ul>
 * A value that breaks the rule is refused as {@code invalid}, never changed.
 */
public final class TextRule {
    private TextRule() {
    }

    /**
     * Checks a single-line value.
     *
     * @param field the field's name, for the error message
     * @param value the text as received
     * @return the value, unchanged
     */
    public static String singleLine(String field, String value) {
        check(field, value, false);
        return value;
    }

    /**
     * Checks a multi-line value (a message body).
     *
     * @param field the field's name, for the error message
     * @param value the text as received
     * @return the value, unchanged
     */
    public static String multiLine(String field, String value) {
        check(field, value, true);
        return value;
    }

    /**
     * @param c a character
     * @return whether it is a control character no value may hold, wherever it is
     */
    static boolean isControl(char c, boolean lineBreaksAllowed) {
        if (lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r')) {
            return false;
        }
        return Character.isISOControl(c);
    }

    private static void check(String field, String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c, multiLine)) {
                throw ParleyException.invalid(field + (multiLine
                        ? " must not contain control characters other than tab and line breaks"
                        : " must not contain control characters"));
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ParleyException.invalid(field + " is not valid Unicode: it has an unpaired surrogate");
            }
        }
    }

    /**
     * A value cleaned rather than refused (a display name from a token): control characters and unpaired
     * surrogates removed.
     *
     * @param value the text as received
     * @return the value without them
     */
    static String clean(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (!Character.isSurrogate(c) && !Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
