package io.parley.testservices;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a program it needs (Chromium, {@code redis-server}) is not on the machine. On a
 * developer's laptop it is skipped, saying what to install. Where {@value #STRICT_ENV} is {@code true}
 * ({@code .ci/run} sets it, after installing those programs) it fails instead: CI never passes by skipping.
 */
public final class RequiredTools {
    /** The environment variable that turns a missing program into a failure. */
    public static final String STRICT_ENV = "PARLEY_TEST_REQUIRE_TOOLS";

    private RequiredTools() {
    }

    /** @return whether a missing program fails the test rather than skipping it */
    public static boolean strict() {
        return Boolean.parseBoolean(System.getenv(STRICT_ENV));
    }

    /**
     * Skips the calling test when {@code present} is false, or fails it where {@link #strict()}.
     *
     * @param present whether what the test needs is there
     * @param missing what is missing and how to install it
     */
    public static void require(boolean present, String missing) {
        if (!present && strict()) {
            throw new AssertionError(missing + " (" + STRICT_ENV + " is set: a missing program fails the test)");
        }
        Assumptions.assumeTrue(present, missing);
    }
}
