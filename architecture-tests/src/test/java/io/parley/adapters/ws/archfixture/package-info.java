/**
 * Fixtures posing as the WebSocket adapter that reach into another adapter on purpose.
 * Test code only: {@code ParleyArchitectureTest} never sees it; {@code RulesCatchViolationsTest} imports it.
 */
package io.parley.adapters.ws.archfixture;
