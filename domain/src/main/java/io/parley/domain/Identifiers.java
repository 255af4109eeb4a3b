package io.parley.domain;

/**
 * The one rule for every id: 1 to 128 characters, no white space at either end, {@link TextRule#singleLine
 * single-line text} (no control characters, no unpaired surrogates). Ids are otherwise opaque.
 */
final class Identifiers {
    static final int MAX_LENGTH = 128;

    private Identifiers() {
    }

    static String check(String kind, String value) {
        if (value == null || value.isEmpty()) {
            throw ParleyException.invalid(kind + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw ParleyException.invalid(kind + " is longer than " + MAX_LENGTH + " characters");
        }
        if (!value.strip().equals(value)) {
            throw ParleyException.invalid(kind + " must not start or end with white space");
        }
        return TextRule.singleLine(kind, value);
    }
}
