/**
 * Fixtures posing as the REST adapter: a proper entry point and an open, public class.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.adapters.rest.archfixture;
