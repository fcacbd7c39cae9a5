package dev.outbox.spring;

import dev.outbox.Dispatcher;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the dispatcher once the application context is ready and stops it when the context stops,
 * before the beans it uses (the {@code DataSource}) are destroyed: what is due is published, the
 * batch in hand is recorded, and what could not be is taken back after its lease. A context started
 * again starts it again; the dispatcher bean's close, when the context closes, closes its
 * publisher. Its phase is below the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024})
 * and stop ({@code DEFAULT_PHASE - 2048}): it stops after them, so events saved by requests still
 * being drained are published too.
 */
final class DispatcherLifecycle implements SmartLifecycle {

  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

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
    dispatcher.stop();
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  @Override
  public boolean isRunning() {
    return dispatcher.isRunning();
  }
}
