/**
 * Fixtures posing as the session engine that break its rules on purpose.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.engine.archfixture;
