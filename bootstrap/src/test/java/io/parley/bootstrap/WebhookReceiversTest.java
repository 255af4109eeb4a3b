package io.parley.bootstrap;

import io.parley.testservices.RequiredTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook receivers of docs/integrating.md, FastAPI and Express, taken from the guide as written and run
 * (Debian's {@code python3-fastapi}, {@code python3-uvicorn} and {@code node-express}, which {@code .ci/run}
 * installs) against a running Parley that delivers to both: they print each message and the push notice of a
 * member who is offline, answer a forged delivery {@code 401}, and take a repeated delivery once.
 */
class WebhookReceiversTest {
    private static final String SECRET = "receivers-test-secret-0123456789abcdef";
    private static final Path GUIDE = Path.of("../docs/integrating.md");
    private final List<Process> receivers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process receiver : receivers) {
            receiver.destroy();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void the_guides_fastapi_and_express_receivers_verify_and_print_real_deliveries(@TempDir Path dir) throws Exception {
        String python = python();
        RequiredTools.require(python != null, "FastAPI and uvicorn for python3 (apt-get install python3-fastapi "
                + "python3-uvicorn)");
        Path express = Path.of("/usr/share/nodejs/express");
        RequiredTools.require(Files.isDirectory(express) && onPath("node"), "node and Debian's express "
                + "(apt-get install nodejs node-express)");
        String guide = Files.readString(GUIDE);
        Files.writeString(dir.resolve("receiver.py"), block(guide, "### FastAPI", "python"));
        Files.writeString(dir.resolve("receiver.mjs"), block(guide, "### Express", "js"));
        Files.createDirectories(dir.resolve("node_modules"));
        Files.createSymbolicLink(dir.resolve("node_modules/express"), express);

        int fastApiPort = freePort();
        int expressPort = freePort();
        Path fastApiLog = dir.resolve("fastapi.log");
        Path expressLog = dir.resolve("express.log");
        start(dir, fastApiLog, Map.of("PYTHONUNBUFFERED", "1"), python, "-m", "uvicorn", "receiver:app",
                "--host", "127.0.0.1", "--port", String.valueOf(fastApiPort));
        start(dir, expressLog, Map.of("PORT", String.valueOf(expressPort), "NODE_PATH", "/usr/share/nodejs"),
                "node", "receiver.mjs");
        URI fastApi = URI.create("http://127.0.0.1:" + fastApiPort + "/parley/webhook");
        URI expressUri = URI.create("http://127.0.0.1:" + expressPort + "/parley/webhook");
        awaitListening(fastApi, fastApiLog);
        awaitListening(expressUri, expressLog);

        Map<String, String> config = Map.of(
                "parley.webhooks.endpoints.0.name", "fastapi", "parley.webhooks.endpoints.0.url", fastApi.toString(),
                "parley.webhooks.endpoints.0.secret", SECRET,
                "parley.webhooks.endpoints.1.name", "express", "parley.webhooks.endpoints.1.url", expressUri.toString(),
                "parley.webhooks.endpoints.1.secret", SECRET);
        try (TestServer server = TestServer.start(config)) {
            String room = server.createRoom("alice", "Receivers", "private", "bob");
            try (WsClient alice = server.connect("alice")) {
                alice.ack("send", "room", room, "body", "hello receivers");
            }
            String printed = room + "#3 alice: hello receivers";
            for (Path log : List.of(fastApiLog, expressLog)) {
                awaitLine(log, printed);
                awaitLine(log, "push to bob: hello receivers");
            }
        }

        for (URI receiver : List.of(fastApi, expressUri)) {
            String body = "{\"id\":\"d-1\",\"type\":\"message\",\"room\":\"r\",\"seq\":1,\"event\":{\"type\":\"message\","
                    + "\"room\":\"r\",\"seq\":1,\"message\":{\"author\":\"eve\",\"body\":\"forged\"}}}";
            long now = System.currentTimeMillis() / 1000;
            assertEquals(401, deliver(receiver, body, "t=" + now + ",v1=" + "0".repeat(64)).statusCode(),
                    receiver + " refuses a forged signature");
            assertEquals(401, deliver(receiver, body, "t=" + (now - 3600) + ",v1=" + sign(now - 3600, body))
                    .statusCode(), receiver + " refuses an old signature");
            String signature = "t=" + now + ",v1=" + sign(now, body.replace("forged", "signed"));
            assertEquals(204, deliver(receiver, body.replace("forged", "signed"), signature).statusCode());
            assertEquals(204, deliver(receiver, body.replace("forged", "signed"), signature).statusCode(),
                    "a repeat is answered, not handled again");
        }
        for (Path log : List.of(fastApiLog, expressLog)) {
            awaitLine(log, "r#1 eve: signed");
            String text = Files.readString(log);
            assertEquals(1, text.split("r#1 eve: signed", -1).length - 1, "handled once: " + text);
            assertTrue(!text.contains("forged"), text);
        }
    }

    private HttpResponse<String> deliver(URI receiver, String body, String signature) throws Exception {
        return http.send(HttpRequest.newBuilder(receiver).header("Content-Type", "application/json")
                .header("Parley-Delivery", "d-1").header("Parley-Event", "message")
                .header("Parley-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(long t, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The first fenced block of {@code language} after {@code heading}. */
    private static String block(String guide, String heading, String language) {
        int start = guide.indexOf("```" + language + "\n", guide.indexOf(heading)) + language.length() + 4;
        return guide.substring(start, guide.indexOf("```", start));
    }

    private void start(Path dir, Path log, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PARLEY_WEBHOOK_SECRET", SECRET);
        receivers.add(builder.start());
    }

    private void awaitListening(URI receiver, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                deliver(receiver, "{}", "");
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(receiver + " did not start: " + Files.readString(log));
    }

    private static void awaitLine(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line \"" + line + "\" in " + log + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    /** A python3 that has FastAPI and uvicorn: the one on the PATH, else Debian's. */
    private static String python() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import fastapi, uvicorn")
                        .redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (Exception e) {
                // not this one
            }
        }
        return null;
    }

    private static boolean onPath(String program) {
        try {
            Process probe = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
