package io.parley.testkit.archfixture;

/** Test support that main code must not use. */
public final class TestSupport {
    private TestSupport() {
    }

    /** @return a name */
    public static String name() {
        return "test support";
    }
}
