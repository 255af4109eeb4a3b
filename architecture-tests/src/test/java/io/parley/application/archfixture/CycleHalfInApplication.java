package io.parley.application.archfixture;

import io.parley.domain.archfixture.CycleHalfInDomain;

/** The other half of the domain/application cycle for {@code no_cycles_between_packages}. */
public final class CycleHalfInApplication {
    private CycleHalfInApplication() {
    }

    /** @return a new instance */
    public static CycleHalfInApplication create() {
        return new CycleHalfInApplication();
    }

    /** @return the domain half, closing the cycle */
    public CycleHalfInApplication viaDomain() {
        return CycleHalfInDomain.other();
    }
}
