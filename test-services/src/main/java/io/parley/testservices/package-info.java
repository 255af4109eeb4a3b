/**
 * Real backing services for tests: {@link io.parley.testservices.TestPostgres} gives each test class a
 * database of its own on a PostgreSQL from the environment, from Docker, or embedded in the test JVM;
 * {@link io.parley.testservices.TestRedis} gives a Redis the same ways. Outage tests start private servers
 * they may stop and restart.
 */
package io.parley.testservices;
