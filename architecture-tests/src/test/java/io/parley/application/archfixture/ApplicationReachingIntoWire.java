package io.parley.application.archfixture;

import io.parley.wire.ProtocolCodec;

/** Breaks {@code application_depends_only_on_the_domain}: a use case knows the JSON codec. */
final class ApplicationReachingIntoWire {
    private final ProtocolCodec codec;

    ApplicationReachingIntoWire(ProtocolCodec codec) {
        this.codec = codec;
    }

    ProtocolCodec codec() {
        return codec;
    }
}
