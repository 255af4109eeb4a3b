/**
 * Contract test suites for Parley's outbound ports, published so that every adapter — Parley's own and an
 * embedding team's — runs the same checks. Extend {@link io.parley.testkit.ChatStoreContract},
 * {@link io.parley.testkit.FanoutContract} or {@link io.parley.testkit.PresenceRegistryContract} in a JUnit 5
 * test and implement its factory method.
 */
package io.parley.testkit;
