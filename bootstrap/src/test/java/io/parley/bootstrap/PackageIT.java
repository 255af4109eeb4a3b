package io.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package as an operator installs it: {@code parley-<version>.tar.gz} unpacked in an empty folder and
 * started with {@code bin/parley serve}, with only a JDK (found by the launcher) and the environment; its
 * {@code config/application.yaml} applies, a token from its {@code bin/parley token} is accepted, and SIGTERM
 * stops it.
 */
class PackageIT {
    private static final String SECRET = "package-test-secret-0123456789abcdef0123";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_unpacked_archive_starts_with_only_a_jdk_and_serves(@TempDir Path dir) throws Exception {
        Path archive = Path.of(System.getProperty("parley.package"));
        assertTrue(Files.isRegularFile(archive), "built by mvn package: " + archive);
        run(dir, List.of("tar", "xzf", archive.toString(), "-C", dir.toString()), Map.of());
        Path home;
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String file : List.of("bin/parley", "bin/find-java.sh", "lib/parley.jar", "config/application.yaml",
                "systemd/parley.service", "nginx/parley.conf")) {
            assertTrue(Files.exists(home.resolve(file)), file);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/parley")));
        // The operator's edit: the packaged config file is what the server reads.
        Path config = home.resolve("config/application.yaml");
        Files.writeString(config, Files.readString(config).replace("dev-token-ttl: PT12H", "dev-token-ttl: PT7M"));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "PARLEY_JWT_SECRET", SECRET,
                "PARLEY_PORT", String.valueOf(port), "PARLEY_HOST", "127.0.0.1");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/parley").toString(), "serve")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            ServerProcesses.awaitReady(http, port, server, dir.resolve("server.log"));
            String token = run(dir, List.of(home.resolve("bin/parley").toString(), "token", "alice"), env).strip();
            JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                    StandardCharsets.UTF_8));
            assertEquals(7 * 60, claims.path("exp").asLong() - claims.path("iat").asLong(),
                    "dev-token-ttl from the packaged config/application.yaml");
            HttpResponse<String> rooms = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/rooms"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, rooms.statusCode(), rooms.body());
        } finally {
            server.destroy(); // SIGTERM, as systemd stops it
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        }
        String log = Files.readString(dir.resolve("server.log"));
        assertTrue(log.contains("listening") || log.contains("port " + port), log);
        assertTrue(!log.contains(SECRET), "the secret is never logged");
    }

    private static String run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), command + ": " + out + err);
        return out;
    }
}
