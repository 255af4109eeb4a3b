package io.parley.application.archfixture;

import io.parley.engine.ServerEvent;

/**
 * Breaks {@code application_depends_only_on_the_domain}: a use case answering with a protocol event. The
 * protocol's types live in the engine, and an embedder calling use cases needs none of them.
 */
final class ApplicationReachingIntoTheEngine {
    private ApplicationReachingIntoTheEngine() {
    }

    static ServerEvent pong() {
        return new ServerEvent.Pong(java.util.Optional.empty());
    }
}
