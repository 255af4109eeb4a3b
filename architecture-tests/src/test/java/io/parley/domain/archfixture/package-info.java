/**
 * Fixtures posing as domain code that break the domain rules on purpose.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.domain.archfixture;
