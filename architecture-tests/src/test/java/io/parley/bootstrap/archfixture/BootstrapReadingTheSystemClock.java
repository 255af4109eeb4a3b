package io.parley.bootstrap.archfixture;

import io.parley.adapters.rest.RestApi;

import java.time.Instant;

/** Breaks nothing: bootstrap may read the system clock and wire adapters. */
final class BootstrapReadingTheSystemClock {
    private BootstrapReadingTheSystemClock() {
    }

    static Instant startedAt() {
        return Instant.now();
    }

    static Class<RestApi> wired() {
        return RestApi.class;
    }
}
