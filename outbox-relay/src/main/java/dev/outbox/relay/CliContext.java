package dev.outbox.relay;

import dev.outbox.OutboxTables;
import dev.outbox.spring.OutboxProperties;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The configuration a command that reads or repairs the outbox runs with: the relay's own (file,
 * environment), read by Spring Boot, with the dispatcher, the web server and logging off. The
 * command's output is its own; a failure reaches the operator as one line from {@link OutboxCli}.
 */
final class CliContext implements AutoCloseable {

  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Configuration {}

  private final ConfigurableApplicationContext context;

  private CliContext(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Settings the command needs whatever the configuration says: they outrank it. */
  private static final List<String> FORCED =
      List.of(
          "--outbox.enabled=false",
          "--logging.level.root=OFF",
          "--spring.main.banner-mode=off",
          "--spring.main.log-startup-info=false");

  static CliContext open(ConfigOption config) {
    List<String> arguments = new ArrayList<>(config.arguments());
    arguments.addAll(FORCED);
    return new CliContext(
        new SpringApplicationBuilder(Configuration.class)
            .web(WebApplicationType.NONE)
            .registerShutdownHook(false)
            .listeners(new RequiredSettings())
            .run(arguments.toArray(String[]::new)));
  }

  DataSource dataSource() {
    return context.getBean(DataSource.class);
  }

  OutboxTables tables() {
    OutboxProperties properties = context.getBean(OutboxProperties.class);
    return OutboxTables.of(properties.getEventsTable(), properties.getDeadLettersTable());
  }

  @Override
  public void close() {
    context.close();
  }
}
