package io.parley.adapters.rest.archfixture;

import io.parley.engine.SessionHub;

/**
 * Keeps {@code inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine}: an inbound adapter may
 * use the engine, which reaches the store for it.
 */
final class RestUsingTheHub {
    private final SessionHub hub;

    RestUsingTheHub(SessionHub hub) {
        this.hub = hub;
    }

    int sessions() {
        return hub.sessions().size();
    }
}
