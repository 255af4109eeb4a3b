package io.parley.bootstrap.browser;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Talk to it from a browser console" snippet, read from README.md, run as written in
 * Chromium on a page of another origin (as "on any page" says): the dev token through CORS, a WebSocket,
 * the subscription to every room, and then the commented {@code send} with a room pasted in. Only the port
 * differs from the README's (the test's dev server listens on a free one).
 */
@RequiresChromium
class ReadmeConsoleSnippetInBrowserTest {
    @Test
    void the_readme_console_snippet_runs_on_a_page_of_another_origin() throws Exception {
        String snippet = snippet();
        assertTrue(snippet.contains("/v1/dev/token?user=bob") && snippet.contains("// later: ws.send("), snippet);
        HttpServer otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>another site</title><p>not Parley".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherSite.start();
        try (DevServer server = DevServer.start(); Chromium.Browser browser = Chromium.start()) {
            String room = server.createRoom("alice", "Console", "bob");
            browser.driver().get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
            JavascriptExecutor js = browser.driver();
            String asWritten = snippet.replace("localhost:8080", "localhost:" + server.port());
            // The snippet's console.log calls are what a person would read: keep them, then run it.
            js.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.__logged = [];
                    const log = console.log;
                    console.log = (...args) => { window.__logged.push(args[0]); log(...args); };
                    (async () => {
                    %s
                    window.__ws = ws;
                    })().then(() => done(null), (e) => done(String(e)));
                    """.formatted(asWritten));
            awaitLogged(js, "an ack of the subscription", "ack");
            String later = asWritten.lines().filter(line -> line.startsWith("// later: "))
                    .map(line -> line.substring("// later: ".length()).replace("<room id>", room)).findFirst()
                    .orElseThrow();
            js.executeScript("const ws = window.__ws; " + later + ";");
            List<?> logged = awaitLogged(js, "the message event of the send", "message");
            assertTrue(logged.toString().contains("hi from the browser"), logged.toString());
        } finally {
            otherSite.stop(0);
        }
    }

    /** The README's block, as it is there. */
    private static String snippet() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int heading = lines.indexOf("### Talk to it from a browser console");
        int start = -1;
        for (int i = heading + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                if (start >= 0) {
                    return String.join("\n", lines.subList(start + 1, i));
                }
                start = i;
            }
        }
        throw new AssertionError("no code block under the console heading of README.md");
    }

    private static List<?> awaitLogged(JavascriptExecutor js, String what, String type) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            List<?> logged = (List<?>) js.executeScript("return (window.__logged || []).map(x => JSON.stringify(x));");
            if (logged.stream().anyMatch(entry -> String.valueOf(entry).contains("\"type\":\"" + type + "\""))) {
                return logged;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in the console: " + logged);
            }
            Thread.sleep(100);
        }
    }
}
