package dev.outbox.relay;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Stops a start without a database before Spring Boot tries one of its own: the relay and the
 * commands are nothing without {@code spring.datasource.url}.
 */
final class RequiredSettings implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String DATABASE_URL = "spring.datasource.url";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    Environment environment = event.getEnvironment();
    String url = environment.getProperty(DATABASE_URL);
    if (url == null || url.isBlank()) {
      throw new MissingSettingException(
          "no database: set "
              + DATABASE_URL
              + " (and spring.datasource.username, spring.datasource.password) in the --config"
              + " file or as SPRING_DATASOURCE_URL");
    }
  }

  /** A setting the relay cannot run without; exit code {@value OutboxCli#USAGE}. */
  static final class MissingSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MissingSettingException(String message) {
      super(message);
    }
  }
}
