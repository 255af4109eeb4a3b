package io.parley.bootstrap;

import io.helidon.config.Config;
import io.parley.application.port.out.ChatHooks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's ready-made {@code before send} hook: a list of words that messages may not contain
 * ({@code parley.moderation.blocked-words}), matched as whole words whatever their case. {@code reject} (the
 * default) refuses such a message (the sender gets {@code rejected}, nothing is stored); {@code mask} stores it
 * with each such word replaced by asterisks. Edits are checked as new messages are. An embedder with rules of
 * its own builds a {@link ChatHooks} instead (docs/architecture.md, "Decision hooks").
 *
 * @param pattern the words, as one pattern
 * @param mask    whether to mask rather than reject
 */
record BlockedWords(Pattern pattern, boolean mask) implements ChatHooks {
    /** What the sender of a refused message is told (the word is not repeated back). */
    static final String REASON = "the message contains a word this chat does not allow";

    /**
     * @param moderation the {@code parley.moderation} node
     * @param dev        dev mode, where the demo's word ("spam") is blocked unless the list is configured
     * @return the hook, or none without words
     */
    static Optional<BlockedWords> from(Config moderation, boolean dev) {
        List<String> words = moderation.get("blocked-words").asList(String.class)
                .orElse(dev ? List.of("spam") : List.of()).stream()
                .map(String::strip).filter(w -> !w.isEmpty()).toList();
        String action = moderation.get("action").asString().orElse("reject").strip().toLowerCase(Locale.ROOT);
        if (!action.equals("reject") && !action.equals("mask")) {
            throw new IllegalStateException("parley.moderation.action is reject or mask, not \"" + action + "\"");
        }
        return words.isEmpty() ? Optional.empty() : Optional.of(of(words, action.equals("mask")));
    }

    static BlockedWords of(List<String> words, boolean mask) {
        String alternatives = String.join("|", words.stream().map(Pattern::quote).toList());
        // whole words: no letter, digit or underscore right before or after (in any script)
        return new BlockedWords(Pattern.compile("(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), mask);
    }

    @Override
    public SendDecision beforeSend(SendAttempt attempt) {
        Matcher matcher = pattern.matcher(attempt.body());
        if (!matcher.find()) {
            return SendDecision.ALLOW;
        }
        if (!mask) {
            return SendDecision.reject(REASON);
        }
        return SendDecision.rewrite(matcher.replaceAll(found -> "*".repeat(found.group().codePointCount(
                0, found.group().length()))));
    }
}
