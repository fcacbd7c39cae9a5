package dev.outbox.internal;

import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.EventRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The dispatcher's listeners as one: tells each in turn, and keeps a listener that throws from
 * disturbing the dispatcher or the listeners after it.
 */
public final class Listeners implements DispatcherListener {

  private final List<DispatcherListener> listeners = new CopyOnWriteArrayList<>();
  private final Logger log;

  public Listeners(List<DispatcherListener> initial, Logger log) {
    this.listeners.addAll(initial);
    this.log = log;
  }

  public void add(DispatcherListener listener) {
    listeners.add(listener);
  }

  @Override
  public void claimed(int events, Duration took) {
    tell(l -> l.claimed(events, took));
  }

  @Override
  public void published(EventRecord event, Duration latency) {
    tell(l -> l.published(event, latency));
  }

  @Override
  public void failed(EventRecord event, String error, boolean deadLettered) {
    tell(l -> l.failed(event, error, deadLettered));
  }

  @Override
  public void recoveredStuck(int events, int deadLettered) {
    tell(l -> l.recoveredStuck(events, deadLettered));
  }

  private void tell(Consumer<DispatcherListener> call) {
    for (DispatcherListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // Even an Error (a metrics library's missing class) must not leave a batch leased.
        log.warn("Outbox dispatcher listener {} failed", listener, e);
      }
    }
  }
}
