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
