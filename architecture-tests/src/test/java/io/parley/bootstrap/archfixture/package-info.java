/**
 * Fixtures posing as bootstrap code, doing what only bootstrap may do.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.bootstrap.archfixture;
