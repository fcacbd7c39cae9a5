package dev.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The relay's console in Debian's headless Chromium, driven by its chromium-driver: what an
 * operator sees and clicks. Where either is not installed these tests do not run, and say so.
 */
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final String USER = "operator";
  private static final String PASSWORD = "correct-horse-battery";

  /** A duration as the page shows it. */
  private static final String DURATION = "[0-9]+(\\.[0-9])? (ms|s|min|h|d)";

  private static EmbeddedPostgresServer postgres;
  private static EmbeddedKafka kafka;

  private ConfigurableApplicationContext relay;
  private DataSource database;
  private WebDriver browser;
  private String console;
  private String name;

  @BeforeAll
  static void start() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
    if (!installed) {
      System.err.println(
          "ConsoleBrowserTest: the console's browser tests did not run: no "
              + CHROMIUM
              + " or "
              + DRIVER
              + " (apt-get install chromium chromium-driver)");
    }
    assumeTrue(installed, "Chromium or chromium-driver is not installed");
    postgres = EmbeddedPostgresServer.start();
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void startBrowser(TestInfo test) {
    name = test.getTestMethod().orElseThrow().getName().toLowerCase();
    database = postgres.createDatabase(name);
    kafka.createTopic(name, 1);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--lang=en-US", // the page's numbers are formatted for the browser's language
        "--window-size=1400,1500");
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
  }

  /** The relay on 127.0.0.1, as it starts by default, with a user and these settings. */
  private void startRelay(Map<String, String> more) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("spring.datasource.url", postgres.jdbcUrl(name));
    settings.put("spring.datasource.username", postgres.user());
    settings.put("spring.datasource.password", postgres.password());
    settings.put("outbox.kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put("outbox.create-schema", "true");
    settings.put("outbox.poll-interval", "100ms");
    settings.put("outbox.console.username", USER);
    settings.put("outbox.console.password", PASSWORD);
    settings.put("outbox.console.sample-interval", "500ms");
    settings.put("server.port", "0");
    settings.putAll(more);
    relay = RelayApplication.start(settings, null);
    console =
        "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port") + "/outbox/";
  }

  @AfterEach
  void stopRelayAndBrowser() {
    if (browser != null) {
      browser.quit();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @Test
  void anOperatorFindsADeadLetterByFilterAndReplaysItWithAClick() throws Exception {
    String topic = name;
    startRelay(Map.of());
    deadLetter("dl-timeout", topic, "7", "TimeoutException: Expiring 1 record(s) for orders-0");
    deadLetter("dl-large", topic, "8", "RecordTooLargeException: the message is 2097152 bytes");
    deadLetter("dl-held", topic, "9", "SerializationException: unknown schema id 42");
    for (int i = 0; i < 3; i++) {
      event("held-" + i, topic, "9"); // behind dl-held: not published until it goes
    }
    for (int i = 0; i < 200; i++) {
      event("e-" + i, topic, String.valueOf(100 + i % 20));
    }

    browser.get(console);
    until("the figures show the dead letters", () -> text("dead-letters").equals("3"));
    until("the backlog is published but the held events", () -> text("unsent").equals("3"));
    until(
        "the rate of the publishes is charted",
        () -> !text("p99").equals("–") && rows("workers").contains("event-processor"));
    assertThat(rows("held")).contains("Order / 9");
    assertThat(rows("dead-letter-table")).contains("dl-timeout", "dl-large", "dl-held");

    browser.findElement(By.id("filter-error")).sendKeys("timeout");
    browser.findElement(By.id("search")).click();
    until(
        "only the dead letter whose error matches is listed",
        () -> deadLetterRows().size() == 1 && rows("dead-letter-table").contains("dl-timeout"));

    // What the operator sees here is the README's picture of the console (docs/console.png).
    Files.createDirectories(Path.of("target"));
    Files.copy(
        ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
        Path.of("target", "console.png"),
        StandardCopyOption.REPLACE_EXISTING);

    deadLetterRows().get(0).findElement(By.cssSelector("button.replay")).click();
    until("the sign-in dialog opens", () -> browser.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(USER);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("sign-in-submit")).click();

    until(
        "the replay is reported",
        () -> text("message").contains("Replayed dead letter dl-timeout"));
    assertThat(text("user")).isEqualTo("signed in as " + USER);
    List<ConsumerRecord<String, String>> records = kafka.read(topic, 201, Duration.ofSeconds(30));
    assertThat(records)
        .filteredOn(r -> eventId(r).equals("dl-timeout"))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isEqualTo("{\"order\":\"7\"}"));
    until("the list no longer has it", () -> deadLetterRows().isEmpty());
    until("nor the figures", () -> text("dead-letters").equals("2"));
  }

  @Test
  void aReplayWithoutSigningInIsRefusedAndChangesNothing() throws Exception {
    String topic = name;
    startRelay(Map.of());
    deadLetter("dl-1", topic, "1", "TimeoutException");
    browser.get(console);
    until("the page lists the dead letter", () -> deadLetterRows().size() == 1);

    // From the console's own page, with its CSRF cookie and header, but no credentials.
    Object status =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const csrf = document.cookie.split('; ')"
                    + ".find(c => c.startsWith('outbox-console-csrf=')).split('=')[1];"
                    + "fetch('api/dead-letter/replay', {method: 'POST', headers: {"
                    + "'Content-Type': 'application/json', 'X-Outbox-Csrf': csrf},"
                    + " body: JSON.stringify({eventId: 'dl-1'})})"
                    + ".then(r => r.json().then(b => done(r.status + ' ' + b.error)));");
    assertThat(status).isEqualTo("401 sign in to replay dead letters");

    deadLetterRows().get(0).findElement(By.cssSelector("button.replay")).click();
    until("the sign-in dialog opens", () -> browser.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(USER);
    browser.findElement(By.id("password")).sendKeys("wrong");
    browser.findElement(By.id("sign-in-submit")).click();
    until(
        "wrong credentials are said to be wrong",
        () -> text("sign-in-error").equals("Those credentials are wrong."));
    browser.findElement(By.id("sign-in-cancel")).click();

    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox_events")).isZero();
  }

  @Test
  void deadLettersCannotBeReadWithoutSigningIn() throws Exception {
    startRelay(Map.of(ConsoleDefaults.ANONYMOUS_READ, "false"));
    deadLetter("dl-private", name, "5", "TimeoutException: Expiring 1 record(s)");
    browser.get(console);

    until("the sign-in dialog opens", () -> browser.findElement(By.id("username")).isDisplayed());
    assertThat(text("message")).startsWith("Sign in to see the outbox");
    assertThat(text("dead-letters")).isEqualTo("–");
    assertThat(deadLetterRows()).isEmpty();

    browser.findElement(By.id("username")).sendKeys(USER);
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("sign-in-submit")).click();
    until("the figures show the dead letter", () -> text("dead-letters").equals("1"));
    until("the list shows it", () -> rows("dead-letter-table").contains("dl-private"));
    assertThat(text("user")).isEqualTo("signed in as " + USER);
    assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();
  }

  @Test
  void theHeldAggregatesPanelSaysHowManyOfTheTotalItShows() throws Exception {
    startRelay(Map.of());
    // 10,000 aggregates, each with a dead letter and an event held behind it.
    execute(
        "INSERT INTO outbox_deadletters (event_id, original_id, event_type, aggregate_type,"
            + " aggregate_id, topic, payload, headers, attempts, last_error, created_at,"
            + " dead_lettered_at) SELECT 'dl-' || n, 0, 'OrderPlaced', 'Order', n::text, '"
            + name
            + "', '{}', '{}', 5, 'TimeoutException', now(), now() FROM generate_series(1, 10000) n");
    execute(
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, headers, status, next_attempt_at, created_at) SELECT 'held-' || n,"
            + " 'OrderPlaced', 'Order', n::text, '"
            + name
            + "', '{}', '{}', 'pending', now(), now() FROM generate_series(1, 10000) n");

    browser.get(console);
    until("the panel gives the total", () -> text("held-summary").startsWith("20 of 10,000"));
    assertThat(browser.findElements(By.cssSelector("#held tbody tr"))).hasSize(20);
  }

  @Test
  void anAggregateIdWithoutItsTypeIsRefusedBesideTheFilter() throws Exception {
    startRelay(Map.of());
    deadLetter("dl-7", name, "7", "TimeoutException");
    deadLetter("dl-9", name, "9", "TimeoutException");
    browser.get(console);
    until("the page lists both dead letters", () -> deadLetterRows().size() == 2);

    browser.findElement(By.id("filter-aggregate-id")).sendKeys("9");
    until(
        "the rows are marked as those of the earlier search",
        () -> browser.findElement(By.id("filter-stale")).isDisplayed());
    browser.findElement(By.id("search")).click();
    until(
        "the refusal is shown beside the filter",
        () ->
            text("filter-problem")
                .equals("aggregateId needs aggregateType: an aggregate is its type and its id"));
    assertThat(deadLetterRows()).as("rows the filter fields do not select").isEmpty();
    assertThat(text("dead-letter-summary")).isEmpty();
    assertThat(browser.findElement(By.id("message")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("filter-stale")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("filter-problem")).getLocation().getY())
        .as("beside the filter, not above the figures")
        .isGreaterThan(browser.findElement(By.id("filter-aggregate-id")).getLocation().getY());

    // A bulk operation on the same fields is refused the same way, before any confirmation.
    browser.findElement(By.id("replay-matching")).click();
    until(
        "the refusal stays beside the filter",
        () -> text("filter-problem").startsWith("aggregateId"));
    assertThat(browser.findElement(By.id("confirm")).isDisplayed()).isFalse();

    browser.findElement(By.id("filter-aggregate-type")).sendKeys("Order");
    browser.findElement(By.id("search")).click();
    until(
        "the aggregate's dead letter is listed",
        () -> deadLetterRows().size() == 1 && rows("dead-letter-table").contains("dl-9"));
    assertThat(browser.findElement(By.id("filter-problem")).isDisplayed()).isFalse();
  }

  @Test
  void aLongLastErrorWrapsInsideItsWorkerCard() throws Exception {
    startRelay(Map.of("outbox.stuck-check-interval", "200ms"));
    String word = "x".repeat(2_000);
    // The stuck-event check finds an expired lease, and its update fails with a message of one
    // 2,000-character word.
    execute(
        "CREATE FUNCTION refuse_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " RAISE EXCEPTION 'UpdateRefused:%', repeat('x', 2000); END $$");
    execute(
        "CREATE TRIGGER refuse_updates BEFORE UPDATE ON outbox_events"
            + " FOR EACH STATEMENT EXECUTE FUNCTION refuse_updates()");
    execute(
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, status, locked_by, locked_until, created_at) VALUES ('stuck', 'OrderPlaced',"
            + " 'Order', '1', '"
            + name
            + "', '{}', 'processing', 'gone', now() - interval '1 minute', now())");
    deadLetter("dl-long", name, "2", "RecordTooLargeException:" + "x".repeat(1_950));

    browser.get(console);
    By failing =
        By.xpath(
            "//table[@id='workers']//td[contains(@class, 'worker-error') and contains(., '"
                + word
                + "')]");
    until("a worker fails with the long error", () -> !browser.findElements(failing).isEmpty());
    until("the dead letter is listed", () -> deadLetterRows().size() == 1);
    WebElement error = browser.findElement(failing);
    assertThat(error.getAttribute("title")).contains("UpdateRefused:" + word);
    assertThat(heightOf(error)).as("at most a few lines").isLessThan(100);
    assertInside("workers", error);
    assertInside(
        "dead-letter-table", browser.findElement(By.cssSelector("#dead-letter-table td.error")));
    assertThat((Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth"))
        .as("the page does not scroll sideways")
        .isTrue();

    // A click shows more of it, scrolling within the card, and it stays open while the page
    // redraws the workers.
    error.click();
    until("the next refresh redraws the workers", () -> isStale(error));
    WebElement opened = browser.findElement(failing);
    assertThat(heightOf(opened)).as("opened").isGreaterThan(100);
    assertInside("workers", opened);
  }

  @Test
  void durationsAreShownInUnitsThatReadNotInRawMilliseconds() throws Exception {
    startRelay(Map.of());
    // Written 342 s ago: published now, 342,000 ms after its commit; held behind a dead letter.
    execute(
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, headers, status, next_attempt_at, created_at) SELECT 'old-' || n,"
            + " 'OrderPlaced', 'Order', n::text, '"
            + name
            + "', '{}', '{}', 'pending', now(), now() - interval '342 seconds'"
            + " FROM generate_series(1, 20) n");
    deadLetter("dl-held", name, "held", "TimeoutException");
    event("held-1", name, "held");
    execute(
        "UPDATE outbox_events SET created_at = now() - interval '342 seconds'"
            + " WHERE event_id = 'held-1'");

    browser.get(console);
    until("the latency is shown", () -> !text("p99").equals("–"));
    assertThat(text("p99")).matches("5\\.[78] min");
    until("the oldest waiting event is shown", () -> text("oldest").endsWith(" min"));
    assertThat(text("oldest")).matches("\\d+\\.\\d min");
    List<?> ticks =
        (List<?>)
            script(
                "return Chart.getChart('latency-chart').scales.y.ticks.map(t => String(t.label))");
    assertThat(ticks).isNotEmpty().allSatisfy(t -> assertThat(t).asString().matches(DURATION));
    assertThat(script("return [0, 4.25, 999, 1000, 59960, 341916, 582502, 7200000].map(duration)"))
        .isEqualTo(
            List.of("0 ms", "4.3 ms", "999 ms", "1.0 s", "1.0 min", "5.7 min", "9.7 min", "2.0 h"));
  }

  private Object script(String script, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(script, arguments);
  }

  private long heightOf(WebElement element) {
    return element.getRect().getHeight();
  }

  /** The element ends within the card around the table, and the card does not overflow. */
  private void assertInside(String table, WebElement element) {
    WebElement card =
        browser.findElement(By.cssSelector(".card:has(> .card-body > #" + table + ")"));
    assertThat(element.getRect().getX() + element.getRect().getWidth())
        .as("right edge of the error in " + table)
        .isLessThanOrEqualTo(card.getRect().getX() + card.getRect().getWidth());
    assertThat(
            (Boolean) script("return arguments[0].scrollWidth <= arguments[0].clientWidth", card))
        .as("the card of " + table + " overflows")
        .isTrue();
  }

  private static boolean isStale(WebElement element) {
    try {
      element.isDisplayed();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    }
  }

  private List<WebElement> deadLetterRows() {
    return browser.findElements(By.cssSelector("#dead-letter-table tbody tr[data-event-id]"));
  }

  private String rows(String table) {
    return browser.findElement(By.cssSelector("#" + table + " tbody")).getText();
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void until(String what, BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .withMessage(what)
        .until(b -> condition.getAsBoolean());
  }

  private static String eventId(ConsumerRecord<String, String> record) {
    return new String(record.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8);
  }

  private void deadLetter(String eventId, String topic, String aggregateId, String error)
      throws SQLException {
    execute(
        String.format(
            "INSERT INTO outbox_deadletters (event_id, original_id, event_type, aggregate_type,"
                + " aggregate_id, topic, payload, headers, attempts, last_error, created_at,"
                + " dead_lettered_at) VALUES ('%s', 0, 'OrderPlaced', 'Order', '%s', '%s',"
                + " '{\"order\":\"%s\"}', '{\"source\":\"shop\"}', 5, '%s', now(), now())",
            eventId, aggregateId, topic, aggregateId, error));
  }

  private void event(String eventId, String topic, String aggregateId) throws SQLException {
    execute(String.format(RelayTest.PLAIN_SQL_INSERT, eventId, aggregateId, topic, aggregateId));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
