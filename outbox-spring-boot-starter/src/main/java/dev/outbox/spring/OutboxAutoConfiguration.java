package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.PayloadSerializer;
import dev.outbox.spi.Publisher;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox on the application's {@code DataSource}: an {@link Outbox} bean that saves events in
 * the current transaction, and, unless {@code outbox.enabled=false}, a {@link Dispatcher} that
 * publishes them through the application's {@link Publisher} bean, or the Kafka publisher of {@link
 * OutboxKafkaAutoConfiguration} when {@code outbox-kafka} is on the class path. Meters and tracing
 * are auto-configurations of their own ({@link OutboxMetricsAutoConfiguration}, {@link
 * OutboxTracingAutoConfiguration}), each to be excluded alone.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(OutboxProperties.class)
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
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "outbox", name = "enabled", matchIfMissing = true)
  Dispatcher outboxDispatcher(
      DataSource dataSource,
      ObjectProvider<Publisher> publishers,
      OutboxProperties properties,
      ObjectProvider<DispatcherListener> listeners,
      ObjectProvider<PublisherCustomizer> publisherCustomizers) {
    Publisher publisher = publishers.getIfAvailable();
    if (publisher == null) {
      throw new MissingPublisherException();
    }
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
  Outbox outbox(
      OutboxWriter writer,
      DataSource dataSource,
      ObjectProvider<Dispatcher> dispatcher,
      ObjectProvider<PayloadSerializer> serializer) {
    return new Outbox(
        writer,
        dataSource,
        dispatcher.getIfAvailable(),
        serializer.getIfAvailable(() -> PayloadSerializer.PLAIN_VALUES));
  }

  /** Payload objects written as the application writes JSON: by its Jackson {@code JsonMapper}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JsonMapper.class)
  static class JacksonPayloads {

    @Bean
    @ConditionalOnMissingBean
    PayloadSerializer outboxPayloadSerializer(ObjectProvider<JsonMapper> mapper) {
      JsonMapper json = mapper.getIfAvailable();
      return json == null ? PayloadSerializer.PLAIN_VALUES : json::writeValueAsString;
    }
  }
}
