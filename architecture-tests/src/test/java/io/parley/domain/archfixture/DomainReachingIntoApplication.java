package io.parley.domain.archfixture;

import io.parley.application.port.out.Rooms;

/** Breaks {@code domain_depends_only_on_the_jdk}: the domain points outwards at an application port. */
final class DomainReachingIntoApplication {
    private final Rooms rooms;

    DomainReachingIntoApplication(Rooms rooms) {
        this.rooms = rooms;
    }

    Rooms rooms() {
        return rooms;
    }
}
