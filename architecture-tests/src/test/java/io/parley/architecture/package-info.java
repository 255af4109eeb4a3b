/**
 * ArchUnit rules guarding Parley's layers ({@link io.parley.architecture.ParleyArchitectureTest}) and the proof
 * that each rule can fail ({@link io.parley.architecture.RulesCatchViolationsTest}).
 */
package io.parley.architecture;
