package io.parley.adapters.ws.archfixture;

import io.parley.adapters.rest.archfixture.RestEntryPoint;

/** Breaks {@code adapters_do_not_depend_on_each_other}: the WebSocket adapter calls the REST adapter. */
final class WsReachingIntoRest {
    private WsReachingIntoRest() {
    }

    static RestEntryPoint rest() {
        return RestEntryPoint.create();
    }
}
