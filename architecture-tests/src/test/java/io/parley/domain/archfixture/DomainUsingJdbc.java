package io.parley.domain.archfixture;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Breaks {@code domain_and_application_do_not_use_frameworks} but not {@code domain_depends_only_on_the_jdk}:
 * {@code java.sql} is part of the JDK, which is why the framework rule exists.
 */
final class DomainUsingJdbc {
    private DomainUsingJdbc() {
    }

    static Timestamp column(Instant at) {
        return Timestamp.from(at);
    }
}
