package io.parley.adapters.persistence.jdbc;

import io.parley.testservices.TestDatabase;

import java.time.Duration;

/** Store settings for tests: short timeouts, so that failure tests finish quickly. */
final class Settings {
    private Settings() {
    }

    /**
     * @param database a test database
     * @return settings for it, with a 2 s statement timeout and a 1 s connection timeout
     */
    static JdbcSettings.Builder of(TestDatabase database) {
        return JdbcSettings.builder()
                .url(database.url())
                .user(database.user())
                .password(database.password())
                .poolSize(6)
                .statementTimeout(Duration.ofSeconds(2))
                .connectionTimeout(Duration.ofSeconds(1));
    }
}
