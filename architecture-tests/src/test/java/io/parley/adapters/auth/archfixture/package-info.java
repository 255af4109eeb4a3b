/**
 * A fixture posing as the auth adapter that exposes its port implementation publicly.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.adapters.auth.archfixture;
