package dev.outbox.relay;

import dev.outbox.console.internal.ListenAddress;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The relay's console defaults that depend on where it listens: reading without signing in when
 * only this machine can reach it (a loopback {@code server.address}, the relay's default), so an
 * operator on the machine sees the backlog at once. Anywhere else reading needs a user, as in an
 * application that mounts the console. Only where {@code outbox.console.anonymous-read} is not set
 * at all: in the file, the environment, an argument or the relay's defaults.
 */
final class ConsoleDefaults implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  static final String ANONYMOUS_READ = "outbox.console.anonymous-read";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment environment = event.getEnvironment();
    if (!environment.containsProperty(ANONYMOUS_READ)
        && ListenAddress.of(environment.getProperty(ListenAddress.PROPERTY)).loopback()) {
      environment
          .getPropertySources()
          .addLast(
              new MapPropertySource("outboxRelayConsoleDefaults", Map.of(ANONYMOUS_READ, "true")));
    }
  }
}
