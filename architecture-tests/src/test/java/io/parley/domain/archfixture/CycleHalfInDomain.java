package io.parley.domain.archfixture;

import io.parley.application.archfixture.CycleHalfInApplication;

/** One half of a domain/application cycle for {@code no_cycles_between_packages}. */
public final class CycleHalfInDomain {
    private CycleHalfInDomain() {
    }

    /** @return the other half of the cycle */
    public static CycleHalfInApplication other() {
        return CycleHalfInApplication.create();
    }
}
