package dev.outbox.relay;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxTables;
import dev.outbox.spring.OutboxProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The configuration a command that reads or repairs the outbox runs with: the relay's own (file,
 * environment), read by Spring Boot, with the web server and logging off, and the dispatcher too
 * but for {@code outbox check}'s. The command's output is its own; a failure to start reaches the
 * operator as a {@link StartFailure}, in a line or two from {@link OutboxCli}.
 */
final class CliContext implements AutoCloseable {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Configuration {}

  private final ConfigurableApplicationContext context;

  private CliContext(ConfigurableApplicationContext context) {
    this.context = context;
  }

  private static final String DISPATCHER_OFF = "--outbox.enabled=false";

  /** Settings the command needs whatever the configuration says: they outrank it. */
  private static final List<String> FORCED =
      List.of(
          DISPATCHER_OFF,
          "--logging.level.root=OFF",
          "--spring.main.banner-mode=off",
          "--spring.main.log-startup-info=false");

  static CliContext open(ConfigOption config) {
    return open(config, false);
  }

  /**
   * @param dispatcher whether the starter's dispatcher runs too, publishing as a relay does (for
   *     {@code outbox check})
   */
  static CliContext open(ConfigOption config, boolean dispatcher) {
    List<String> arguments = new ArrayList<>(config.arguments());
    arguments.addAll(FORCED);
    if (dispatcher) {
      arguments.remove(DISPATCHER_OFF);
    }
    return new CliContext(
        StartFailure.run(
            new SpringApplicationBuilder(Configuration.class)
                .properties(outboxDefaults())
                .web(WebApplicationType.NONE)
                .registerShutdownHook(false)
                .listeners(new RequiredSettings()),
            null,
            arguments.toArray(String[]::new)));
  }

  /**
   * The relay's defaults for the outbox (its batch size, say), which {@code outbox check}'s
   * dispatcher runs with; not its server's and actuator's, which a command has none of.
   */
  private static Map<String, Object> outboxDefaults() {
    Map<String, Object> defaults = RelayApplication.defaults();
    defaults.keySet().removeIf(name -> !name.startsWith("outbox."));
    return defaults;
  }

  DataSource dataSource() {
    return context.getBean(DataSource.class);
  }

  OutboxTables tables() {
    OutboxProperties properties = context.getBean(OutboxProperties.class);
    return OutboxTables.of(properties.getEventsTable(), properties.getDeadLettersTable());
  }

  OutboxProperties outboxProperties() {
    return context.getBean(OutboxProperties.class);
  }

  Environment environment() {
    return context.getEnvironment();
  }

  /** Stops the dispatcher, if it runs, after the batch in hand. */
  void stopDispatcher() {
    context.getBeanProvider(Dispatcher.class).ifAvailable(Dispatcher::close);
  }

  @Override
  public void close() {
    context.close();
  }
}
