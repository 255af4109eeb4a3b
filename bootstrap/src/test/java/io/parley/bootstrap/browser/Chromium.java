package io.parley.bootstrap.browser;

import io.parley.testservices.RequiredTools;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The system's headless Chromium and chromedriver (Debian's {@code chromium} and {@code chromium-driver}, or
 * the paths in {@code PARLEY_CHROMIUM} / {@code PARLEY_CHROMEDRIVER}). Nothing is downloaded: where they are
 * missing, the browser tests are skipped with a message that says so.
 */
final class Chromium {
    static final Path BROWSER = Path.of(System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("PARLEY_CHROMEDRIVER", "/usr/bin/chromedriver"));

    /** Selenium warns on every start that it has no CDP bindings for this Chromium; the tests use none. */
    private static final Logger SELENIUM_LOG = quiet("org.openqa.selenium");

    static final String MISSING = "SKIPPED browser tests: they need the system's Chromium at " + BROWSER
            + " and chromedriver at " + DRIVER + " (Debian: apt-get install -y chromium chromium-driver;"
            + " .ci/run installs them), or PARLEY_CHROMIUM / PARLEY_CHROMEDRIVER pointing at them";

    private Chromium() {
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    /** @return whether Chromium and chromedriver are installed */
    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** A running browser and its profile directory, removed when the browser quits. */
    record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {
        @Override
        public void close() {
            try {
                driver.quit();
            } finally {
                try (var files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException | UncheckedIOException e) {
                    // a leftover temp directory is harmless
                }
            }
        }
    }

    /** Starts a fresh headless browser with its own new profile. */
    static Browser start() {
        RequiredTools.require(installed(), MISSING); // reached without the browser only in CI: fails there
        Path profile;
        try {
            profile = Files.createTempDirectory("parley-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--password-store=basic",
                "--user-data-dir=" + profile, "--window-size=1200,900");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }
}
