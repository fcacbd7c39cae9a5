package dev.outbox.relay;

import dev.outbox.OutboxTables;
import dev.outbox.spring.OutboxProperties;
import java.util.LinkedHashMap;
import java.util.Map;
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

  static CliContext open(ConfigOption config) {
    Map<String, Object> properties = new LinkedHashMap<>(config.properties());
    properties.put("outbox.enabled", "false");
    properties.put("logging.level.root", "OFF");
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.main.log-startup-info", "false");
    properties.put("spring.main.register-shutdown-hook", "false");
    return new CliContext(
        new SpringApplicationBuilder(Configuration.class)
            .web(WebApplicationType.NONE)
            .listeners(new RequiredSettings())
            .properties(properties)
            .run());
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
