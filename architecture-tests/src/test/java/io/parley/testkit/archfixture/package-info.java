/**
 * A fixture posing as testkit code, for main code to depend on by mistake.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.testkit.archfixture;
