package dev.outbox.spring;

import dev.outbox.Dispatcher;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the dispatcher once the application context is ready and closes it when the context stops,
 * before the beans it uses (the {@code DataSource}) are destroyed: the batch in hand is published
 * and recorded, and what could not be is taken back after its lease. In the default phase, it
 * starts last and stops first; events saved after it stopped wait in the table for the next start.
 */
final class DispatcherLifecycle implements SmartLifecycle {

  private final Dispatcher dispatcher;

  DispatcherLifecycle(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void start() {
    dispatcher.start();
  }

  @Override
  public void stop() {
    dispatcher.close();
  }

  @Override
  public boolean isRunning() {
    return dispatcher.isRunning();
  }
}
