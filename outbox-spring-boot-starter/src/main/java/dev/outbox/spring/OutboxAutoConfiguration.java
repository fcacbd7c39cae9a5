package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.OutboxWriter;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.kafka.KafkaPublisherBuilder;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.Publisher;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The outbox on the application's {@code DataSource}: an {@link Outbox} bean that saves events in
 * the current transaction, and, unless {@code outbox.enabled=false}, a {@link Dispatcher} that
 * publishes them through the application's {@link Publisher} bean or a {@link KafkaPublisher} made
 * from {@code outbox.kafka.*} and the connection settings of {@code spring.kafka.*}. With {@code
 * outbox-micrometer} on the class path its meters are bound to Spring Boot's registry; with {@code
 * outbox-opentelemetry} and an {@code OpenTelemetry} bean, saved events carry the current trace and
 * each publish is a producer span.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(OutboxProperties.class)
@Import({
  OutboxObservabilityConfiguration.Metrics.class,
  OutboxObservabilityConfiguration.Tracing.class
})
public class OutboxAutoConfiguration {

  /**
   * Refuses {@code outbox.*} properties no outbox module knows before any bean is made ({@link
   * UnknownOutboxProperties}): a misspelt name would otherwise be ignored, its default applied.
   */
  @Bean
  static BeanFactoryPostProcessor outboxUnknownPropertiesCheck(
      ConfigurableEnvironment environment) {
    return beanFactory -> {
      ClassLoader classLoader = beanFactory.getBeanClassLoader();
      List<UnknownOutboxProperties.Unknown> unknown =
          UnknownOutboxProperties.fromMetadata(
                  classLoader != null
                      ? classLoader
                      : OutboxAutoConfiguration.class.getClassLoader())
              .find(environment);
      if (!unknown.isEmpty()) {
        throw new UnknownOutboxPropertyException(unknown);
      }
    };
  }

  @Bean
  @ConditionalOnMissingBean
  OutboxWriter outboxWriter(
      OutboxProperties properties, ObjectProvider<OutboxWriterCustomizer> customizers) {
    OutboxWriter.Builder builder = OutboxWriter.builder().tables(properties.tables());
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean({Publisher.class, Dispatcher.class})
  @ConditionalOnProperty(prefix = "outbox", name = "enabled", matchIfMissing = true)
  Publisher outboxPublisher(
      OutboxProperties properties, Environment environment, ResourceLoader resources) {
    OutboxProperties.Kafka kafka = properties.getKafka();
    SpringKafkaSettings.Connection connection =
        new SpringKafkaSettings(environment, resources).connection(kafka);
    String servers = connection.bootstrapServers();
    if (servers == null) {
      throw new IllegalStateException(
          "outbox.kafka.bootstrap-servers (or spring.kafka.bootstrap-servers) is required for the"
              + " outbox's Kafka publisher; or define a Publisher bean, or set"
              + " outbox.enabled=false");
    }
    KafkaPublisherBuilder builder =
        KafkaPublisher.builder().bootstrapServers(servers).properties(connection.properties());
    String source = kafka.getCloudEventsSource();
    if (source != null) {
      builder.cloudEvents(source);
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "outbox", name = "enabled", matchIfMissing = true)
  Dispatcher outboxDispatcher(
      DataSource dataSource,
      Publisher publisher,
      OutboxProperties properties,
      ObjectProvider<DispatcherListener> listeners,
      ObjectProvider<PublisherCustomizer> publisherCustomizers) {
    Publisher customized = publisher;
    for (PublisherCustomizer customizer : publisherCustomizers.orderedStream().toList()) {
      customized = customizer.customize(customized);
    }
    DispatcherBuilder builder = Dispatcher.builder(dataSource).publisher(customized);
    listeners.orderedStream().forEach(builder::listener);
    try {
      return properties.configure(builder).build();
    } catch (IllegalArgumentException e) {
      throw new InvalidOutboxSettingException(e);
    }
  }

  @Bean
  @ConditionalOnBean(Dispatcher.class)
  DispatcherLifecycle outboxDispatcherLifecycle(Dispatcher dispatcher) {
    return new DispatcherLifecycle(dispatcher);
  }

  @Bean
  @ConditionalOnMissingBean
  Outbox outbox(OutboxWriter writer, DataSource dataSource, ObjectProvider<Dispatcher> dispatcher) {
    return new Outbox(writer, dataSource, dispatcher.getIfAvailable());
  }
}
