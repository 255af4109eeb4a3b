package io.parley.adapters.persistence.jdbc;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Settings come from code or from config, and nonsense is refused up front. */
class JdbcSettingsTest {

    @Test
    void config_keys_are_kebab_case_and_fall_back_to_the_defaults() {
        Config config = Config.just(ConfigSources.create(Map.of(
                "url", "jdbc:postgresql://db:5432/parley",
                "user", "parley",
                "password", "secret",
                "pool-size", "20",
                "statement-timeout", "PT3S")));

        JdbcSettings settings = JdbcSettings.create(config);

        assertEquals(JdbcSettings.builder().url("jdbc:postgresql://db:5432/parley").user("parley").password("secret")
                .poolSize(20).statementTimeout(Duration.ofSeconds(3)).build(), settings);
        assertEquals(JdbcSettings.DEFAULT_CONNECTION_TIMEOUT, settings.connectionTimeout());
        assertEquals(JdbcSettings.DEFAULT_WRITERS, settings.writers());
    }

    @Test
    void settings_that_cannot_work_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> JdbcSettings.builder().url("jdbc:mysql://db/x").build());
        assertThrows(IllegalArgumentException.class,
                () -> JdbcSettings.builder().url("jdbc:postgresql://db/x").poolSize(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> JdbcSettings.builder().url("jdbc:postgresql://db/x").poolSize(4).writers(4).build());
        assertThrows(IllegalArgumentException.class, () -> JdbcSettings.builder().url("jdbc:postgresql://db/x")
                .connectionTimeout(Duration.ofMillis(10)).build());
    }

    @Test
    void the_password_stays_out_of_the_string_form() {
        JdbcSettings settings = JdbcSettings.builder().url("jdbc:postgresql://db/x").password("hunter2").build();

        assertEquals(-1, settings.toString().indexOf("hunter2"));
    }
}
