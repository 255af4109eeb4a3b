package io.parley.adapters.persistence.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows collected column by column, to pass as one array parameter per column to a statement that reads
 * them back with {@code unnest(?::type[], …)}: one statement writes any number of rows.
 */
final class Columns {
    private final List<List<Object>> columns;

    /** @param width how many columns each row has */
    Columns(int width) {
        columns = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            columns.add(new ArrayList<>());
        }
    }

    /**
     * Adds a row.
     *
     * @param values one value per column: a {@link String}, {@link Long}, {@link Boolean} or null
     */
    void add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            columns.get(i).add(values[i]);
        }
    }

    /** @return whether no row was added */
    boolean isEmpty() {
        return columns.getFirst().isEmpty();
    }

    /**
     * @return one array per column: {@code Long[]}, {@code Boolean[]}, or {@code String[]} (also for a
     *         column of nulls only, which the statement's cast turns into its type)
     */
    List<Object> arrays() {
        List<Object> arrays = new ArrayList<>(columns.size());
        for (List<Object> column : columns) {
            Object sample = column.stream().filter(v -> v != null).findFirst().orElse("");
            arrays.add(switch (sample) {
                case Long ignored -> column.toArray(Long[]::new);
                case Boolean ignored -> column.toArray(Boolean[]::new);
                default -> column.toArray(String[]::new);
            });
        }
        return arrays;
    }
}
