package io.parley.application.port.out;

/** Makes new unique ids for rooms, messages and sessions. Ids are opaque, URL-safe and unique across nodes. */
@FunctionalInterface
public interface IdGenerator {
    /** @return a new id */
    String next();
}
