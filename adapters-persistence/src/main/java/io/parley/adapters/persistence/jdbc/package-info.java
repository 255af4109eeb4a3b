/**
 * The PostgreSQL store: {@link io.parley.adapters.persistence.jdbc.JdbcStorage} implements the
 * {@code Rooms} and {@code RoomLog} ports on Helidon DbClient over a Hikari pool, with a Flyway-managed
 * schema and group commit of concurrent appends. See the module's README for the schema and the reasons
 * behind it.
 */
package io.parley.adapters.persistence.jdbc;
