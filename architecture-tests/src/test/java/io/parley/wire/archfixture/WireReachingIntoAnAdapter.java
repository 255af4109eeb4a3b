package io.parley.wire.archfixture;

import io.parley.adapters.rest.RestApi;

/**
 * Breaks {@code wire_codec_depends_only_on_the_core_and_jackson} and {@code only_bootstrap_wires_adapters}:
 * the shared codec knows one transport.
 */
final class WireReachingIntoAnAdapter {
    private final RestApi api;

    WireReachingIntoAnAdapter(RestApi api) {
        this.api = api;
    }

    RestApi api() {
        return api;
    }
}
