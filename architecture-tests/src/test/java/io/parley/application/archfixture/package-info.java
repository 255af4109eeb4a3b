/**
 * Fixtures posing as application code that break the application rules on purpose.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.application.archfixture;
