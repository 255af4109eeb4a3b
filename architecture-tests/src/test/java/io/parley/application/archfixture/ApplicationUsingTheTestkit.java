package io.parley.application.archfixture;

import io.parley.testkit.archfixture.TestSupport;

/** Breaks {@code main_code_does_not_depend_on_the_testkit}. */
final class ApplicationUsingTheTestkit {
    private ApplicationUsingTheTestkit() {
    }

    static String support() {
        return TestSupport.name();
    }
}
