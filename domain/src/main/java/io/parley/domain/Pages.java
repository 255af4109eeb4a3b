package io.parley.domain;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** How every paged read (room list, search, directory) cuts its page: read one more than the limit. */
final class Pages {
    private Pages() {
    }

    /**
     * @param found      up to {@code limit + 1} items, in the page's order
     * @param limit      the page size
     * @param positionOf where a page ending at an item stops
     * @param page       makes the page from its items and where the next one starts
     * @param <T>        item
     * @param <P>        position
     * @param <R>        page
     * @return the first {@code limit} items, and the position after the last of them when one more was found
     */
    static <T, P, R> R cut(List<T> found, int limit, Function<T, P> positionOf,
                           BiFunction<List<T>, Optional<P>, R> page) {
        if (found.size() <= limit) {
            return page.apply(found, Optional.empty());
        }
        List<T> items = found.subList(0, limit);
        return page.apply(items, Optional.of(positionOf.apply(items.getLast())));
    }
}
