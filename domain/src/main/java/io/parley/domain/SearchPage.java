package io.parley.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of search results.
 *
 * @param messages the messages found, in the search order (newest first)
 * @param next     where the next page starts; empty when this is the last page
 */
public record SearchPage(List<Message> messages, Optional<SearchQuery.Position> next) {
    /** Copies the list. */
    public SearchPage {
        messages = List.copyOf(messages);
        java.util.Objects.requireNonNull(next, "next");
    }

    /**
     * Cuts a page out of messages already in search order, one more than the limit telling whether more
     * exist.
     *
     * @param messages up to {@code limit + 1} messages in search order
     * @param limit    the page size
     * @return the page
     */
    public static SearchPage of(List<Message> messages, int limit) {
        return Pages.cut(messages, limit, SearchQuery.Position::of, SearchPage::new);
    }
}
