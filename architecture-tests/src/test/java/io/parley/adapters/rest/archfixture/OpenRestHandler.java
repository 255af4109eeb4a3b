package io.parley.adapters.rest.archfixture;

/** Breaks {@code adapters_are_package_private_except_their_entry_points}: public and open to subclassing. */
public class OpenRestHandler {
    /** Creates the handler. */
    public OpenRestHandler() {
    }
}
