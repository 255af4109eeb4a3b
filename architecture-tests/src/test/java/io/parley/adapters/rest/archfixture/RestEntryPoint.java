package io.parley.adapters.rest.archfixture;

/** Keeps {@code adapters_are_package_private_except_their_entry_points}: public, final, a factory. */
public final class RestEntryPoint {
    private RestEntryPoint() {
    }

    /** @return a new entry point */
    public static RestEntryPoint create() {
        return new RestEntryPoint();
    }
}
