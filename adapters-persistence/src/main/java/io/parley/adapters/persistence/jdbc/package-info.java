/**
 * The PostgreSQL store: {@link io.parley.adapters.persistence.jdbc.JdbcStorage} implements the
 * {@code Rooms}, {@code RoomLog} and {@code ResumableSessions} ports on Helidon DbClient over a Hikari pool,
 * with a Flyway-managed schema, group commit of concurrent appends and optimistic updates of session
 * records. See the module's README for the schema and the reasons behind it.
 */
package io.parley.adapters.persistence.jdbc;
