package io.parley.bootstrap;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PARLEY_CONFIG}: a configuration file over the built-in defaults, under the environment. */
class ParleyConfigFileTest {

    @Test
    void the_file_wins_over_the_defaults_and_the_environment_over_the_file(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("application.yaml");
        Files.writeString(file, """
                server:
                  port: 9123
                parley:
                  dev-token-ttl: PT1H
                """);
        Config config = ParleyConfig.load(Map.of(), Map.of(ParleyConfig.CONFIG_FILE, file.toString(),
                "PARLEY_PORT", "9456"));

        assertEquals(Duration.ofHours(1), config.get("parley.dev-token-ttl").as(Duration.class).get());
        assertEquals(9456, config.get("server.port").asInt().get());
        assertEquals("memory", config.get("parley.store.kind").asString().get(), "the defaults stay under it");
    }

    @Test
    void a_missing_file_is_named() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParleyConfig.load(Map.of(),
                Map.of(ParleyConfig.CONFIG_FILE, "/nonexistent/parley.yaml")));
        assertTrue(e.getMessage().contains("PARLEY_CONFIG=/nonexistent/parley.yaml"), e.getMessage());
    }
}
