/**
 * An in-memory store for rooms and their event logs, for tests, demos and single-node deployments that
 * need no durability. {@link io.parley.adapters.persistence.memory.InMemoryStore} is the entry point.
 */
package io.parley.adapters.persistence.memory;
