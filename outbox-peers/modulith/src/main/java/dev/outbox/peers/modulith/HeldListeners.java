package dev.outbox.peers.modulith;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;

/**
 * Phase 1 only, beside {@link ModulithPeerApplication} (not nested in it, or Spring would import it
 * in phase 2 too): the executor of the asynchronous listeners ({@code @ApplicationModuleListener},
 * as Spring Modulith's externalizer is) never runs their tasks, as if the application stopped right
 * after each commit. The registry keeps every publication incomplete, written exactly as the
 * committing transaction wrote it, for the same listener phase 2 has.
 */
@Configuration(proxyBeanMethods = false)
class HeldListeners {

  @Bean(name = {"taskExecutor", "applicationTaskExecutor"})
  TaskExecutor taskExecutor() {
    return task -> {};
  }
}
