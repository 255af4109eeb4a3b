package io.parley.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotListTest {

    /** An item; equal only to itself, as subscriptions are. */
    static final class Item implements SnapshotList.Slotted {
        private final int id;
        private int slot = -1;

        Item(int id) {
            this.id = id;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public void slot(int slot) {
            this.slot = slot;
        }

        @Override
        public String toString() {
            return "#" + id;
        }
    }

    /**
     * Each op is a number: even adds a new item, odd removes the item at (op / 2) modulo the list's size, or a
     * removed one when {@code op % 4 == 3} (which must change nothing).
     */
    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(0, 10_000).list().ofMaxSize(300);
    }

    @Property
    void holds_what_was_added_and_not_removed_in_the_order_added(@ForAll("ops") List<Integer> ops) {
        SnapshotList<Item> list = new SnapshotList<>();
        List<Item> model = new ArrayList<>();
        apply(ops, list, model, new ArrayList<>(), new HashSet<>(), new int[1]);
        assertEquals(model, list.view().toList());
        assertEquals(model.size(), list.size());
        assertEquals(model.isEmpty(), list.isEmpty());
    }

    @Property
    void a_view_keeps_what_it_held_except_removals_and_sees_nothing_added_later(
            @ForAll("ops") List<Integer> before, @ForAll("ops") List<Integer> after) {
        SnapshotList<Item> list = new SnapshotList<>();
        List<Item> model = new ArrayList<>();
        List<Item> gone = new ArrayList<>();
        int[] ids = new int[1];
        apply(before, list, model, gone, new HashSet<>(), ids);
        SnapshotList.View<Item> view = list.view();
        List<Item> then = List.copyOf(model);

        Set<Item> removedSince = new HashSet<>();
        apply(after, list, model, gone, removedSince, ids);

        List<Item> seen = view.toList();
        assertEquals(then.size(), view.size());
        List<Item> expected = new ArrayList<>(then);
        expected.removeAll(removedSince);
        List<Item> seenWithoutRemoved = new ArrayList<>(seen);
        seenWithoutRemoved.removeAll(removedSince);
        assertEquals(expected, seenWithoutRemoved, "everything the view held and still in the list, in order");
        assertTrue(then.containsAll(seen), "nothing added after the view was taken: " + seen);
        assertEquals(model, list.view().toList());
    }

    @Test
    void filling_and_emptying_a_large_list_copies_a_linear_number_of_references() {
        int n = 100_000;
        SnapshotList<Item> list = new SnapshotList<>();
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Item item = new Item(i);
            items.add(item);
            list.add(item);
        }
        long filling = list.copied();
        assertTrue(filling < 2L * n, "copied " + filling + " references to fill it (copy on write: ~5e9)");
        Collections.shuffle(items, new Random(7));
        for (Item item : items) {
            assertTrue(list.remove(item));
        }
        assertTrue(list.isEmpty());
        assertTrue(list.copied() - filling < 2L * n, "copied " + (list.copied() - filling) + " to empty it");
    }

    @Test
    void an_item_is_in_one_list_once() {
        SnapshotList<Item> list = new SnapshotList<>();
        Item item = new Item(1);
        list.add(item);
        assertThrows(IllegalStateException.class, () -> list.add(item));
        assertThrows(IllegalStateException.class, () -> new SnapshotList<Item>().add(item));
        assertTrue(list.remove(item));
        assertFalse(list.remove(item));
        assertFalse(new SnapshotList<Item>().remove(new Item(2)));
        list.add(item);
        assertEquals(List.of(item), list.view().toList());
    }

    private static void apply(List<Integer> ops, SnapshotList<Item> list, List<Item> model, List<Item> gone,
                              Set<Item> removed, int[] ids) {
        for (int op : ops) {
            if (op % 2 == 0) {
                Item item = new Item(ids[0]++);
                list.add(item);
                model.add(item);
            } else if (op % 4 == 3 && !gone.isEmpty()) {
                assertFalse(list.remove(gone.get((op / 4) % gone.size())));
            } else if (!model.isEmpty()) {
                Item item = model.remove((op / 2) % model.size());
                assertTrue(list.remove(item));
                gone.add(item);
                removed.add(item);
            }
        }
    }
}
