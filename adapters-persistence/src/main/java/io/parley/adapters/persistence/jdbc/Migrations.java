package io.parley.adapters.persistence.jdbc;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings the schema up to date with Flyway. Migrations live in {@code db/migration/parley} on the class
 * path, and their history in {@code parley_schema_history}, so an application that uses Flyway for its
 * own tables in the same database keeps its own history. Safe to run from several nodes at once: Flyway
 * takes a database lock while it migrates.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/migration/parley";
    static final String HISTORY_TABLE = "parley_schema_history";

    private Migrations() {
    }

    /**
     * @param settings where the database is
     * @return how many migrations ran
     */
    static int run(JdbcSettings settings) {
        // A connection of its own, without the pool's statement timeout: a migration may take long.
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.url());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        dataSource.setConnectTimeout(Pool.seconds(settings.connectionTimeout()));
        dataSource.setLoginTimeout(Pool.seconds(settings.connectionTimeout()));
        dataSource.setApplicationName("parley-migrations");
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // A database that holds other tables already gets Parley's from V1 on.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
