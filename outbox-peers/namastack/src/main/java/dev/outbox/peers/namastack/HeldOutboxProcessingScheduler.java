package dev.outbox.peers.namastack;

import io.micrometer.observation.ObservationRegistry;
import io.namastack.outbox.OutboxProcessingScheduler;
import io.namastack.outbox.OutboxProperties;
import io.namastack.outbox.OutboxRecordRepository;
import io.namastack.outbox.partition.PartitionCoordinator;
import io.namastack.outbox.processor.OutboxRecordProcessor;
import io.namastack.outbox.trigger.OutboxPollingTrigger;
import java.time.Clock;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;

/**
 * namastack's own polling scheduler, unchanged but for not starting with the application context:
 * the program writes the whole backlog first and then calls {@link #start()}, so the drain is
 * measured from a full table.
 *
 * <p>namastack-outbox 1.6.0 has no property that keeps its scheduler from polling (only {@code
 * namastack.outbox.enabled}, which removes the outbox altogether). Its scheduler is a {@code
 * SmartLifecycle} bean that its auto-configuration defines only when the application has none
 * ({@code @ConditionalOnMissingBean}), so the program defines it, with the same arguments as that
 * auto-configuration, and turns off its automatic start.
 */
final class HeldOutboxProcessingScheduler extends OutboxProcessingScheduler {

  HeldOutboxProcessingScheduler(
      OutboxPollingTrigger trigger,
      TaskScheduler taskScheduler,
      ObservationRegistry observationRegistry,
      OutboxRecordRepository recordRepository,
      OutboxRecordProcessor recordProcessorChain,
      PartitionCoordinator partitionCoordinator,
      TaskExecutor taskExecutor,
      OutboxProperties properties,
      Clock clock) {
    super(
        trigger,
        taskScheduler,
        () -> observationRegistry,
        recordRepository,
        recordProcessorChain,
        partitionCoordinator,
        taskExecutor,
        properties,
        clock);
  }

  @Override
  public boolean isAutoStartup() {
    return false;
  }
}
