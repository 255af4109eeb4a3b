package io.parley.engine;

import java.util.function.Consumer;

/**
 * The local subscribers of a room: changed by one thread at a time (the caller serializes {@link #add} and
 * {@link #remove}), read by any thread without a lock, for every event.
 *
 * <p>A copy-on-write array costs a copy of the whole list per change: filling a room of <i>N</i> members
 * one join at a time copies <i>N</i>²/2 references (5 GB of garbage for 50,000 members), and a
 * disconnect storm as many again. Here a change costs amortized O(1): each item knows its slot
 * ({@link Slotted}), so a removal finds it without a scan; an item is appended in place
 * beyond the end every published {@link View} ends at, so no reader sees it before it is published; a
 * removed item's slot is cleared in place (a reader holding an older view skips it, or still sees the
 * item if it read the slot first, as it would have with a copy); the array is copied only when it is full
 * or when at least half of it is cleared slots.
 *
 * <p>A view sees every item that was in the list when it was taken and has not been removed since, in the
 * order they were added, and nothing added after it was taken. A removed item may still be handed to a
 * reader that took its view before the removal (as with a copy-on-write array), so readers must tolerate
 * it; the room feed's sessions do (an inactive subscription takes nothing).
 *
 * @param <T> the items
 */
final class SnapshotList<T extends SnapshotList.Slotted> {
    /** Below this length a full array of cleared slots is not worth compacting on its own. */
    private static final int MIN_COMPACT = 8;

    private volatile View<T> view = View.empty();
    /** References copied into new arrays so far, for tests of the amortized cost. */
    private long copied;

    /**
     * Adds an item at the end. Not thread-safe with other changes.
     *
     * @param item what to add; it must be in no list ({@link Slotted#slot()} -1)
     */
    void add(T item) {
        if (item.slot() >= 0) {
            throw new IllegalStateException("already in a list");
        }
        View<T> current = view;
        Object[] slots = current.slots;
        if (current.end == slots.length) {
            int capacity = current.live < slots.length / 2 ? slots.length : Math.max(1, slots.length * 2);
            slots = compact(current, capacity);
            current = new View<>(slots, current.live, current.live);
        }
        slots[current.end] = item; // beyond the end of every published view of this array
        item.slot(current.end);
        view = new View<>(slots, current.end + 1, current.live + 1);
    }

    /**
     * Removes an item (compared by identity). Not thread-safe with other changes.
     *
     * @param item what to take out; an item of another list, or of none, leaves this one as it is
     * @return whether it was there
     */
    boolean remove(T item) {
        View<T> current = view;
        Object[] slots = current.slots;
        int slot = item.slot();
        if (slot < 0 || slot >= current.end || slots[slot] != item) {
            return false;
        }
        slots[slot] = null;
        item.slot(-1);
        int live = current.live - 1;
        if (live == 0) {
            view = View.empty();
        } else if (current.end >= MIN_COMPACT && live <= current.end / 2) {
            view = new View<>(compact(current, Math.max(1, live * 2)), live, live);
        } else {
            view = new View<>(slots, current.end, live);
        }
        return true;
    }

    /** @return the list as it is now, to be read by any thread */
    View<T> view() {
        return view;
    }

    /** @return how many items the list holds */
    int size() {
        return view.live;
    }

    /** @return whether the list holds no item */
    boolean isEmpty() {
        return view.live == 0;
    }

    /** @return the references copied into new arrays so far (a filled list of n items copied fewer than 2n) */
    long copied() {
        return copied;
    }

    private Object[] compact(View<T> from, int capacity) {
        Object[] next = new Object[capacity];
        int n = 0;
        for (int i = 0; i < from.end; i++) {
            Object item = from.slots[i];
            if (item != null) {
                ((Slotted) item).slot(n);
                next[n++] = item;
            }
        }
        copied += n;
        return next;
    }

    /** An item that remembers where it is in its one list; only the list reads and sets it. */
    interface Slotted {
        /** @return the item's index in its list's array, -1 while in no list */
        int slot();

        /** @param slot the item's index in its list's array, -1 when it leaves the list */
        void slot(int slot);
    }

    /**
     * The list at one moment: the items in {@code slots[0, end)} that are not cleared.
     *
     * @param <T> the items
     */
    static final class View<T> {
        private static final View<?> EMPTY = new View<>(new Object[0], 0, 0);

        private final Object[] slots;
        private final int end;
        private final int live;

        private View(Object[] slots, int end, int live) {
            this.slots = slots;
            this.end = end;
            this.live = live;
        }

        @SuppressWarnings("unchecked")
        private static <T> View<T> empty() {
            return (View<T>) EMPTY;
        }

        /** @return how many items the list held when this view was taken */
        int size() {
            return live;
        }

        /**
         * Hands each item to {@code action}, in the order they were added, skipping those removed since.
         *
         * @param action what to do with each
         */
        @SuppressWarnings("unchecked")
        void forEach(Consumer<? super T> action) {
            Object[] items = slots;
            for (int i = 0; i < end; i++) {
                Object item = items[i];
                if (item != null) {
                    action.accept((T) item);
                }
            }
        }

        /** @return the items still in it, in order (a copy) */
        java.util.List<T> toList() {
            java.util.List<T> items = new java.util.ArrayList<>(live);
            forEach(items::add);
            return items;
        }
    }
}
