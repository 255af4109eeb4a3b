package io.parley.engine.archfixture;

import io.parley.wire.ProtocolCodec;

/**
 * Breaks {@code engine_depends_only_on_the_use_cases_and_the_domain}: the engine builds its own codec instead
 * of being handed an {@code EventEncoder}.
 */
final class EngineWritingJson {
    private EngineWritingJson() {
    }

    static ProtocolCodec codec() {
        return ProtocolCodec.create();
    }
}
