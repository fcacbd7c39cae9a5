package dev.outbox.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.console.internal.ExposedConsoleException;
import dev.outbox.console.internal.ListenAddress;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Where the console may be served without credentials of its own: only on loopback. */
class ConsoleExposureTest {

  @Test
  void aConsoleListeningBeyondLoopbackWithoutCredentialsRefusesToStart() {
    // An application that mounts the console and sets no server.address listens everywhere.
    ListAppender<ILoggingEvent> report = new ListAppender<>();
    report.start();
    Logger reporter =
        (Logger)
            LoggerFactory.getLogger(
                "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");
    reporter.addAppender(report);
    try {
      assertThatThrownBy(
              () ->
                  new SpringApplicationBuilder(ConsoleApiTest.App.class)
                      .properties(
                          "spring.datasource.url=jdbc:h2:mem:exposed;DB_CLOSE_DELAY=-1",
                          "outbox.create-schema=true",
                          "outbox.console.enabled=true",
                          "server.port=0")
                      .run()
                      .close())
          .isInstanceOf(ExposedConsoleException.class)
          .hasMessageStartingWith(
              "the console would listen on every interface (server.address is not set) without"
                  + " credentials: set outbox.console.token, or outbox.console.username and"
                  + " outbox.console.password");
    } finally {
      reporter.detachAppender(report);
    }
    assertThat(report.list)
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage)
        .asString()
        .contains(
            "APPLICATION FAILED TO START",
            "The outbox console would listen on every interface (server.address is not set)",
            "Set outbox.console.token (16 characters or more), or outbox.console.username and"
                + " outbox.console.password",
            "outbox.console.require-credentials=false");
    assertThat(report.list.get(0).getThrowableProxy()).isNull();
  }

  @Test
  void credentialsOrLoopbackOrAnExplicitWordLetItStart() {
    ListenAddress everywhere = ListenAddress.of("0.0.0.0");
    assertThatThrownBy(() -> ConsoleExposure.check(everywhere, properties()))
        .isInstanceOf(ExposedConsoleException.class)
        .hasMessageStartingWith("the console would listen on 0.0.0.0 (every interface) without");
    assertThatThrownBy(() -> ConsoleExposure.check(ListenAddress.of("192.0.2.7"), properties()))
        .isInstanceOf(ExposedConsoleException.class);

    assertThatCode(() -> ConsoleExposure.check(ListenAddress.of("127.0.0.1"), properties()))
        .doesNotThrowAnyException();
    assertThatCode(() -> ConsoleExposure.check(ListenAddress.of("::1"), properties()))
        .doesNotThrowAnyException();
    assertThatCode(() -> ConsoleExposure.check(ListenAddress.of("localhost"), properties()))
        .doesNotThrowAnyException();

    ConsoleProperties token = properties();
    token.setToken("0123456789abcdef");
    assertThatCode(() -> ConsoleExposure.check(everywhere, token)).doesNotThrowAnyException();
    ConsoleProperties user = properties();
    user.setUsername("alice");
    user.setPassword("secret-password");
    assertThatCode(() -> ConsoleExposure.check(everywhere, user)).doesNotThrowAnyException();
    ConsoleProperties guarded = properties();
    guarded.setRequireCredentials(false);
    assertThatCode(() -> ConsoleExposure.check(everywhere, guarded)).doesNotThrowAnyException();
  }

  private static ConsoleProperties properties() {
    ConsoleProperties properties = new ConsoleProperties();
    properties.setEnabled(true);
    return properties;
  }
}
