package io.parley.engine.archfixture;

import io.helidon.websocket.WsSession;

/** Breaks {@code domain_application_and_engine_do_not_use_frameworks}: a session holding a Helidon socket. */
final class EngineOnHelidon {
    private final WsSession socket;

    EngineOnHelidon(WsSession socket) {
        this.socket = socket;
    }

    WsSession socket() {
        return socket;
    }
}
