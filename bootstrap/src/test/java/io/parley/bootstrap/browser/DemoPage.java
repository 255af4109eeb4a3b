package io.parley.bootstrap.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The demo chat page in one browser, as one user: what a person sees and does there (sign in, open a room,
 * type, send, edit, delete, change status), read from and done through the page's DOM.
 */
final class DemoPage implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Chromium.Browser browser;
    private final String name;

    /** A message as the page shows it. */
    record Shown(long seq, String id, String author, String body, boolean deleted, boolean edited, String seenBy) {
    }

    private DemoPage(Chromium.Browser browser, String name) {
        this.browser = browser;
        this.name = name;
    }

    /**
     * Opens the page at {@code base} with {@code query} (e.g. {@code ?transport=sse}) in a new browser and signs
     * in as {@code name} through the sign-in form.
     */
    static DemoPage signIn(Chromium.Browser browser, URI base, String query, String name) {
        DemoPage page = new DemoPage(browser, name);
        page.driver().get(base.resolve("/" + query).toString());
        page.until("the sign-in form", d -> d.findElement(By.id("login-name")).isDisplayed());
        page.driver().findElement(By.id("login-name")).sendKeys(name);
        page.driver().findElement(By.id("login-button")).click();
        page.awaitConnected();
        return page;
    }

    /**
     * Signs in several people at once, each in a new browser: {@code "Carol?transport=poll"} is Carol on
     * the page with that query, {@code "Alice"} Alice with none. Returns the pages in the order given.
     */
    static List<DemoPage> signInAll(URI base, String... people) {
        List<CompletableFuture<DemoPage>> starting = new ArrayList<>();
        for (String person : people) {
            int q = person.indexOf('?');
            String name = q < 0 ? person : person.substring(0, q);
            String query = q < 0 ? "" : person.substring(q);
            starting.add(CompletableFuture.supplyAsync(() -> signIn(Chromium.start(), base, query, name)));
        }
        List<DemoPage> pages = new ArrayList<>();
        Throwable failure = null;
        for (CompletableFuture<DemoPage> page : starting) {
            try {
                pages.add(page.join());
            } catch (CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure != null) {
            pages.forEach(DemoPage::close);
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            throw failure instanceof Error e ? e : new AssertionError(failure);
        }
        return pages;
    }

    WebDriver driver() {
        return browser.driver();
    }

    String name() {
        return name;
    }

    /** Waits until the connection badge says connected, and returns the transport it names. */
    String awaitConnected() {
        until("connected", d -> "connected".equals(badge().getAttribute("data-status")));
        return transport();
    }

    /** Waits until the connection badge shows this transport. */
    void awaitTransport(String transport, Duration timeout) {
        until("connected via " + transport, timeout, d -> "connected".equals(badge().getAttribute("data-status"))
                && transport.equals(badge().getAttribute("data-transport")));
    }

    String transport() {
        return badge().getAttribute("data-transport");
    }

    String status() {
        return badge().getAttribute("data-status");
    }

    String badgeText() {
        return badge().getText();
    }

    private WebElement badge() {
        return driver().findElement(By.id("connection"));
    }

    void openRoom(String roomName) {
        // The page re-renders its room list whenever a room changes, so an item found may be replaced
        // before the click reaches it: find it again then.
        until("room " + roomName + " in the list and clicked", d -> {
            WebElement item = roomItem(roomName);
            if (item == null) {
                return false;
            }
            try {
                item.click();
                return true;
            } catch (StaleElementReferenceException replaced) {
                return false;
            }
        });
        until("room " + roomName + " open", d -> roomName.equals(d.findElement(By.id("room-title")).getText()));
    }

    int unread(String roomName) {
        WebElement item = roomItem(roomName);
        return item == null ? -1 : Integer.parseInt(item.findElement(By.className("unread")).getAttribute("data-unread"));
    }

    private WebElement roomItem(String roomName) {
        for (WebElement item : driver().findElements(By.cssSelector("#rooms li"))) {
            try {
                if (roomName.equals(item.findElement(By.className("room-name")).getText())) {
                    return item;
                }
            } catch (StaleElementReferenceException e) {
                return null;
            }
        }
        return null;
    }

    void createRoom(String roomName, String... members) {
        driver().findElement(By.id("new-room-name")).sendKeys(roomName);
        driver().findElement(By.id("new-room-members")).sendKeys(String.join(",", members));
        driver().findElement(By.id("create-room")).click();
        until("room " + roomName + " open", d -> roomName.equals(d.findElement(By.id("room-title")).getText()));
    }

    /** Opens the direct conversation with {@code user} and waits until it is the open room. */
    void openDirect(String user, String shownAs) {
        driver().findElement(By.id("dm-user")).sendKeys(user);
        driver().findElement(By.id("open-dm")).click();
        until("conversation with " + shownAs + " open", d -> shownAs.equals(d.findElement(By.id("room-title")).getText()));
    }

    /** Types into the composer without sending. */
    void type(String text) {
        driver().findElement(By.id("composer")).sendKeys(text);
    }

    /** Types a message and presses Enter. */
    void send(String text) {
        driver().findElement(By.id("composer")).sendKeys(text, Keys.ENTER);
    }

    /** @return what the composer holds */
    String composerText() {
        return driver().findElement(By.id("composer")).getAttribute("value");
    }

    void clearComposer() {
        driver().findElement(By.id("composer")).clear();
    }

    /** Presses Enter in the composer (sends what was typed). */
    void pressEnter() {
        driver().findElement(By.id("composer")).sendKeys(Keys.ENTER);
    }

    void edit(String body, String newBody) {
        WebElement item = messageItem(body);
        item.findElement(By.className("edit")).click();
        WebElement input = until("the edit box", d -> d.findElement(By.className("edit-input")));
        input.clear();
        input.sendKeys(newBody, Keys.ENTER);
    }

    /** Answers the message with {@code body}: clicks its reply button, then sends {@code text}. */
    void reply(String body, String text) {
        messageItem(body).findElement(By.className("reply")).click();
        send(text);
    }

    /** @return the quote shown above the message with {@code body}, empty when it answers nothing */
    String quoteOf(String body) {
        List<WebElement> quote = messageItem(body).findElements(By.className("quote"));
        return quote.isEmpty() ? "" : quote.getFirst().getText();
    }

    /** @return whether the message with {@code body} is marked as mentioning this page's user */
    boolean mentionsMe(String body) {
        return messageItem(body).getAttribute("class").contains("mentions-me");
    }

    /** Clicks the thumbs-up button of the message with {@code body} (reacts, or takes it back). */
    void thumbsUp(String body) {
        messageItem(body).findElement(By.className("react")).click();
    }

    /** @return the reactions shown under the message with {@code body}, as "emoji count", in order */
    List<String> reactionsOf(String body) {
        return messageItem(body).findElements(By.className("reaction")).stream().map(WebElement::getText).toList();
    }

    /** Deletes the message with {@code body}: clicks delete, then confirms with a second click. */
    void delete(String body) {
        clickDeleteOnce(body);
        until("the confirmation", d -> deleteAsks(body));
        clickDeleteOnce(body);
    }

    /** @return whether the delete button of the message with {@code body} asks for confirmation */
    boolean deleteAsks(String body) {
        return "true".equals(messageItem(body).findElement(By.className("delete")).getAttribute("data-confirm"));
    }

    /** Clicks the delete button of the message with {@code body} once (asks for confirmation the first time). */
    void clickDeleteOnce(String body) {
        messageItem(body).findElement(By.className("delete")).click();
    }

    /** Finds open rooms whose name contains {@code text} and joins the one named {@code roomName}. */
    void browseAndJoin(String text, String roomName) {
        WebElement q = driver().findElement(By.id("browse-q"));
        q.clear();
        q.sendKeys(text);
        driver().findElement(By.id("browse")).click();
        WebElement entry = until("directory entry " + roomName, d -> d.findElements(By.cssSelector("#directory li"))
                .stream().filter(li -> !li.findElements(By.className("room-name")).isEmpty()
                        && roomName.equals(li.findElement(By.className("room-name")).getText()))
                .findFirst().orElse(null));
        entry.findElement(By.className("join")).click();
        until("room " + roomName + " open", d -> roomName.equals(d.findElement(By.id("room-title")).getText()));
    }

    /** @return the texts of the members list (display names, as shown) */
    List<String> memberNames() {
        return driver().findElements(By.cssSelector("#members .member-name")).stream().map(WebElement::getText)
                .toList();
    }

    /** @return the role shown for {@code user} in the open room's member list ("member" when none is shown) */
    String roleOf(String user) {
        return driver().findElements(By.cssSelector("#members li[data-user='" + user + "']")).stream()
                .map(li -> li.getAttribute("data-role")).findFirst().orElse("");
    }

    /** Clicks a moderation button ({@code promote}, {@code remove} or {@code ban}) next to {@code user}. */
    void moderate(String user, String action) {
        until(action + " button for " + user, d -> d.findElements(
                By.cssSelector("#members li[data-user='" + user + "'] button." + action)).stream().findFirst()
                .orElse(null)).click();
    }

    /** @return the names of the rooms in this page's room list */
    List<String> roomNames() {
        return driver().findElements(By.cssSelector("#rooms .room-name")).stream().map(WebElement::getText).toList();
    }

    /** @return the empty-room text, or empty when the room shows messages */
    String emptyState() {
        List<WebElement> empty = driver().findElements(By.cssSelector("#messages li.empty"));
        return empty.isEmpty() ? "" : empty.getFirst().getText();
    }

    /** @return the datetime attribute of the message with {@code body}'s time element */
    String timeOf(String body) {
        return messageItem(body).findElement(By.className("time")).getAttribute("datetime");
    }

    /** @return whether the element with this id lies wholly inside the window's width */
    boolean withinWidth(String id) {
        Object inside = ((JavascriptExecutor) driver()).executeScript(
                "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                        + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;", id);
        return Boolean.TRUE.equals(inside);
    }

    private WebElement messageItem(String body) {
        return until("message '" + body + "'", d -> d.findElements(By.cssSelector("#messages li.message")).stream()
                .filter(li -> body.equals(li.findElement(By.className("body")).getText()))
                .findFirst().orElse(null));
    }

    void setStatus(String status) {
        new Select(driver().findElement(By.id("status"))).selectByValue(status);
    }

    /** @return the text of the element with this id */
    String text(String id) {
        return driver().findElement(By.id(id)).getText();
    }

    String typingLine() {
        return driver().findElement(By.id("typing")).getText();
    }

    /** The presence dot of a member of the open room: online, away or offline ("" if not listed). */
    String presenceOf(String user) {
        List<WebElement> found = driver().findElements(By.cssSelector("#members li[data-user='" + user + "']"));
        return found.isEmpty() ? "" : found.get(0).getAttribute("data-presence");
    }

    /** Sends still waiting for their ack, as shown. */
    int pendingCount() {
        return driver().findElements(By.cssSelector("#messages li[data-pending]")).size();
    }

    /** The messages of the open room, as shown, top to bottom. */
    @SuppressWarnings("unchecked")
    List<Shown> messages() {
        Object rows = ((JavascriptExecutor) driver()).executeScript("""
                return [...document.querySelectorAll('#messages li.message')].map(li => ({
                  seq: Number(li.dataset.seq), id: li.dataset.id, author: li.dataset.author,
                  body: li.querySelector('.body') ? li.querySelector('.body').textContent : '',
                  deleted: li.dataset.deleted === 'true', edited: !!li.querySelector('.edited'),
                  seenBy: li.querySelector('.seen-by') ? li.querySelector('.seen-by').textContent : ''}));""");
        return ((List<Map<String, Object>>) rows).stream()
                .map(r -> new Shown(((Number) r.get("seq")).longValue(), (String) r.get("id"), (String) r.get("author"),
                        (String) r.get("body"), (Boolean) r.get("deleted"), (Boolean) r.get("edited"),
                        (String) r.get("seenBy")))
                .toList();
    }

    List<String> bodies() {
        return messages().stream().map(Shown::body).toList();
    }

    /** Waits until the page satisfies {@code condition}. */
    void await(String description, Predicate<DemoPage> condition) {
        until(description, d -> condition.test(this));
    }

    void await(String description, Duration timeout, Predicate<DemoPage> condition) {
        until(description, timeout, d -> condition.test(this));
    }

    private <T> T until(String description, Function<WebDriver, T> condition) {
        return until(description, TIMEOUT, condition);
    }

    private <T> T until(String description, Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver(), timeout, Duration.ofMillis(50))
                    .ignoring(StaleElementReferenceException.class)
                    .withMessage(() -> name + "'s page: " + description + "\n  badge: " + safeBadge()
                            + "\n  console:\n    " + String.join("\n    ", console()))
                    .until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private String safeBadge() {
        try {
            return badgeText() + " " + transport();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** What the page logged to the console so far (read once: the browser hands each entry out once). */
    List<String> console() {
        try {
            return driver().manage().logs().get("browser").getAll().stream().map(LogEntry::toString)
                    .collect(Collectors.toList());
        } catch (RuntimeException e) {
            return List.of("(console unavailable: " + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        browser.close();
    }
}
