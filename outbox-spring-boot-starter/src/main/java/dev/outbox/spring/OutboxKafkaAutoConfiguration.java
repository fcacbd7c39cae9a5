package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.kafka.KafkaPublisherBuilder;
import dev.outbox.spi.Publisher;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The dispatcher's publisher when the application defines none and {@code outbox-kafka} is on the
 * class path: a {@link KafkaPublisher} made from {@code outbox.kafka.*} and the connection settings
 * of {@code spring.kafka.*}.
 */
@AutoConfiguration(
    after = DataSourceAutoConfiguration.class,
    before = OutboxAutoConfiguration.class)
@ConditionalOnClass(KafkaPublisher.class)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxKafkaAutoConfiguration {

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
      throw new InvalidOutboxSettingException(
          new IllegalArgumentException(
              "outbox.kafka.bootstrap-servers (or spring.kafka.bootstrap-servers) is required for"
                  + " the outbox's Kafka publisher; or define a Publisher bean, or set"
                  + " outbox.enabled=false"));
    }
    KafkaPublisherBuilder builder =
        KafkaPublisher.builder().bootstrapServers(servers).properties(connection.properties());
    String source = kafka.getCloudEventsSource();
    if (source != null) {
      builder.cloudEvents(source);
    }
    return builder.build();
  }
}
