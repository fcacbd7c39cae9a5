package dev.outbox.peers.namastack;

import io.micrometer.observation.ObservationRegistry;
import io.namastack.outbox.OutboxProcessingScheduler;
import io.namastack.outbox.OutboxProperties;
import io.namastack.outbox.OutboxRecordRepository;
import io.namastack.outbox.partition.PartitionCoordinator;
import io.namastack.outbox.processor.OutboxRecordProcessor;
import io.namastack.outbox.trigger.OutboxPollingTrigger;
import java.time.Clock;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskExecutor;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.TaskScheduler;

/**
 * The smallest Spring Boot application around namastack-outbox: its JDBC starter on the DataSource
 * of {@code spring.datasource.*}, Spring Kafka's template on {@code spring.kafka.*}, one handler
 * that publishes every record, and namastack's scheduler held until the program starts it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class NamastackPeerApplication {

  @Bean
  KafkaPublishingHandler kafkaPublishingHandler(
      KafkaTemplate<String, String> kafka, @Value("${peer.topic}") String topic) {
    return new KafkaPublishingHandler(kafka, topic);
  }

  /** As namastack's {@code OutboxCoreSchedulingAutoConfiguration} defines it, but held. */
  @Bean
  OutboxProcessingScheduler outboxProcessingScheduler(
      OutboxPollingTrigger trigger,
      ObjectProvider<ObservationRegistry> observationRegistry,
      OutboxRecordRepository recordRepository,
      OutboxRecordProcessor recordProcessorChain,
      PartitionCoordinator partitionCoordinator,
      OutboxProperties properties,
      Clock clock,
      BeanFactory beanFactory) {
    // Not autowiring candidates: namastack looks its scheduler and executor up by name.
    return new HeldOutboxProcessingScheduler(
        trigger,
        beanFactory.getBean("outboxDefaultScheduler", TaskScheduler.class),
        observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP),
        recordRepository,
        recordProcessorChain,
        partitionCoordinator,
        beanFactory.getBean("outboxTaskExecutor", TaskExecutor.class),
        properties,
        clock);
  }
}
