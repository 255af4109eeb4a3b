/**
 * Fixtures posing as the wire codec that reach into an adapter on purpose.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.wire.archfixture;
