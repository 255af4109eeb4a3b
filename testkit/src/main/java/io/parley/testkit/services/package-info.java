/**
 * Real backing services for tests: {@link io.parley.testkit.services.TestPostgres} gives each test class a
 * database of its own on a PostgreSQL from the environment, from Docker, or embedded in the test JVM.
 */
package io.parley.testkit.services;
