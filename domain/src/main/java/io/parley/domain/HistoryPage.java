package io.parley.domain;

import java.util.List;

/**
 * One page of history: messages in their current state (tombstones included), in the query's order.
 *
 * @param messages the page's messages, in the query's order
 * @param hasMore  whether more exist beyond this page in the same direction
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {
    /** Copies the list. */
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
