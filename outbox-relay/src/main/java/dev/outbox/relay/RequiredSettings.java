package dev.outbox.relay;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Stops a start without a database, or with a URL no JDBC driver here takes, before Spring Boot
 * tries one of its own: the relay and the commands are nothing without {@code
 * spring.datasource.url}, and Spring Boot would only say it "failed to determine a suitable driver
 * class".
 */
final class RequiredSettings implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String DATABASE_URL = "spring.datasource.url";

  private static final String DRIVER_CLASS = "spring.datasource.driver-class-name";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    Environment environment = event.getEnvironment();
    String url = environment.getProperty(DATABASE_URL);
    if (url == null || url.isBlank()) {
      throw new SettingException(
          "No database is configured: " + DATABASE_URL + " is not set.",
          "Set spring.datasource.url, spring.datasource.username and spring.datasource.password"
              + " in the --config file, as environment variables (SPRING_DATASOURCE_URL…) or, for"
              + " the relay, as --name=value arguments.");
    }
    // A driver named outright decides for itself what it takes.
    if (environment.getProperty(DRIVER_CLASS) == null) {
      checkDriverTakes(url.strip(), drivers(event.getSpringApplication().getClassLoader()));
    }
  }

  private static void checkDriverTakes(String url, List<Driver> drivers) {
    SortedSet<String> known = new TreeSet<>();
    for (Driver driver : drivers) {
      for (DatabaseDriver database : DatabaseDriver.values()) {
        if (driver.getClass().getName().equals(database.getDriverClassName())) {
          known.add("jdbc:" + database.getId() + ":");
        }
      }
    }
    String scheme = scheme(url);
    // A URL of a known scheme that its driver does not take (a port that is not a number, say) is
    // for the driver to explain.
    if (known.contains(scheme) || drivers.stream().anyMatch(driver -> takes(driver, url))) {
      return;
    }
    throw new SettingException(
        DATABASE_URL
            + " starts "
            + scheme
            + ", which no JDBC driver here takes; they take "
            + String.join(", ", known)
            + ".",
        "Correct "
            + DATABASE_URL
            + " (jdbc:postgresql://host:5432/database, say). For a database of another kind, put"
            + " its JDBC driver on the class path and set "
            + DRIVER_CLASS
            + ".");
  }

  /** {@code jdbc:postgres:} of {@code jdbc:postgres://localhost/db}: what says which driver. */
  private static String scheme(String url) {
    int colon = url.indexOf(':', url.startsWith("jdbc:") ? "jdbc:".length() : 0);
    return colon < 0 ? url : url.substring(0, colon + 1);
  }

  private static boolean takes(Driver driver, String url) {
    try {
      return driver.acceptsURL(url);
    } catch (SQLException e) {
      return false;
    }
  }

  /** The JDBC drivers on the class path, as {@link java.sql.DriverManager} finds them. */
  private static List<Driver> drivers(@Nullable ClassLoader classLoader) {
    List<Driver> drivers = new ArrayList<>();
    for (ServiceLoader.Provider<Driver> provider :
        ServiceLoader.load(Driver.class, classLoader).stream().toList()) {
      try {
        drivers.add(provider.get());
      } catch (ServiceConfigurationError e) {
        // A driver that cannot be loaded takes no URL; the others still may.
      }
    }
    return drivers;
  }

  /**
   * A setting the relay or a command cannot start without, or cannot use: exit code {@value
   * OutboxCli#USAGE}, by {@link SettingFailureAnalyzer}.
   */
  static final class SettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    SettingException(String description, String action) {
      super(description);
      this.action = action;
    }

    String action() {
      return action;
    }
  }
}
