package io.parley.domain;

import java.util.List;
import java.util.Optional;

/**
 * One page of a user's room list.
 *
 * @param rooms the rooms, most recently active first
 * @param next  where the next page starts; empty when this is the last page
 */
public record RoomListPage(List<RoomSummary> rooms, Optional<RoomListQuery.Position> next) {
    /** Copies the list. */
    public RoomListPage {
        rooms = List.copyOf(rooms);
        java.util.Objects.requireNonNull(next, "next");
    }

    /**
     * Cuts a page out of rooms already in list order, one more than the limit telling whether more exist.
     *
     * @param rooms up to {@code limit + 1} rooms in list order
     * @param limit the page size
     * @return the page
     */
    public static RoomListPage of(List<RoomSummary> rooms, int limit) {
        return Pages.cut(rooms, limit, RoomListQuery.Position::of, RoomListPage::new);
    }
}
