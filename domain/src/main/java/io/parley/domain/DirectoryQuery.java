package io.parley.domain;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of the directory of open rooms, the rooms anyone may join: open, not archived, not direct
 * conversations; in alphabetical order of their names (without case), then by id; optionally only those whose
 * name contains some text.
 *
 * @param text  what the names must contain, compared without case (empty: every open room)
 * @param after where the previous page ended; empty for the first page
 * @param limit 1 to {@link RoomListQuery#MAX_LIMIT} rooms
 */
public record DirectoryQuery(String text, Optional<Position> after, int limit) {
    /** Longest text to look for. */
    public static final int MAX_TEXT = 100;

    /**
     * Where a page ended.
     *
     * @param sortName the last listed room's name, lower-cased
     * @param room     its id
     */
    public record Position(String sortName, RoomId room) {
        /** Validates the position. */
        public Position {
            Objects.requireNonNull(sortName, "sortName");
            Objects.requireNonNull(room, "room");
        }

        /**
         * @param room a listed room
         * @return the position just after it
         */
        public static Position of(Room room) {
            return new Position(sortKey(room.name()), room.id());
        }

        /**
         * @param room any room
         * @return whether it comes after this position in the directory's order
         */
        public boolean precedes(Room room) {
            int byName = sortKey(room.name()).compareTo(sortName);
            return byName > 0 || byName == 0 && room.id().value().compareTo(this.room.value()) > 0;
        }
    }

    /** Validates the query and lower-cases the text. */
    public DirectoryQuery {
        Objects.requireNonNull(after, "after");
        text = sortKey(Objects.requireNonNull(text, "text").strip());
        if (text.length() > MAX_TEXT) {
            throw ParleyException.invalid("q is longer than " + MAX_TEXT + " characters");
        }
        TextRule.singleLine("q", text);
        if (limit < 1 || limit > RoomListQuery.MAX_LIMIT) {
            throw ParleyException.invalid("limit must be between 1 and " + RoomListQuery.MAX_LIMIT);
        }
    }

    /**
     * @param name a room name
     * @return how the directory sorts and matches it: lower-cased (root locale)
     */
    public static String sortKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * @param room any room
     * @return whether it belongs on this directory's pages: open, live, not a conversation, its name matching
     */
    public boolean lists(Room room) {
        return room.visibility() == Visibility.OPEN && !room.archived() && !room.isDirect()
                && sortKey(room.name()).contains(text);
    }

    /**
     * One entry of a directory page.
     *
     * @param room    the room
     * @param lastSeq its last seq
     * @param members how many members it has
     */
    public record Entry(Room room, long lastSeq, int members) {
        /** Validates the entry. */
        public Entry {
            Objects.requireNonNull(room, "room");
        }
    }

    /**
     * A page of the directory.
     *
     * @param rooms the rooms, in order
     * @param next  where the next page starts, when there is one
     */
    public record Page(java.util.List<Entry> rooms, Optional<Position> next) {
        /** Copies the list. */
        public Page {
            rooms = java.util.List.copyOf(rooms);
            Objects.requireNonNull(next, "next");
        }

        /**
         * @param found up to one entry more than the limit, in order
         * @param limit the page size
         * @return the page, with a next position when there was one more
         */
        public static Page of(java.util.List<Entry> found, int limit) {
            return Pages.cut(found, limit, entry -> Position.of(entry.room()), Page::new);
        }
    }
}
