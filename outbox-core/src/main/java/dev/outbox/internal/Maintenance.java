package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import java.time.Instant;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/** The three maintenance tasks: stuck events, dead letters, cleanup. */
public final class Maintenance {

  private final MaintenanceStore store;
  private final DispatcherConfig config;
  private final Counters counters;
  private final Listeners listeners;
  private final Logger log;
  private volatile boolean stopping;

  public Maintenance(
      MaintenanceStore store, DispatcherConfig config, Counters counters, Listeners listeners) {
    this.store = store;
    this.config = config;
    this.counters = counters;
    this.listeners = listeners;
    this.log = config.logger();
  }

  /** Lets a long cleanup end between two batches when the dispatcher closes. */
  public void stop() {
    stopping = true;
  }

  public void recoverStuckEvents() {
    int[] recovered = store.recoverExpiredLeases(config.clock().instant(), config.maxAttempts());
    int total = recovered[0] + recovered[1];
    if (total > 0) {
      counters.recoveredStuck.add(total);
      counters.deadLettered.add(recovered[1]);
      listeners.recoveredStuck(total, recovered[1]);
      log.warn(
          "Recovered {} stuck event(s) whose lease expired: {} to retry, {} failed for good"
              + " (attempt counted)",
          total,
          recovered[0],
          recovered[1]);
    }
  }

  public void moveDeadLetters() {
    int total = 0;
    int moved;
    do {
      moved = store.moveFailedToDeadLetters(config.clock().instant(), config.cleanupBatchSize());
      total += moved;
    } while (moved == config.cleanupBatchSize() && !stopping);
    if (total > 0) {
      log.warn("Moved {} failed event(s) to {}", total, config.tables().deadLetters());
    }
  }

  /** Deletes in bounded batches until nothing expired is left, so tables cannot outgrow it. */
  public void cleanUp() {
    Instant now = config.clock().instant();
    long sent =
        deleteAll(
            () ->
                store.deleteSentBefore(
                    now.minus(config.sentRetention()), config.cleanupBatchSize()));
    long dead =
        deleteAll(
            () ->
                store.deleteDeadLettersBefore(
                    now.minus(config.deadLetterRetention()), config.cleanupBatchSize()));
    if (sent + dead > 0) {
      log.info("Cleanup deleted {} sent event(s) and {} expired dead letter(s)", sent, dead);
    }
  }

  private long deleteAll(IntSupplier batch) {
    long total = 0;
    int deleted;
    do {
      deleted = batch.getAsInt();
      total += deleted;
    } while (deleted == config.cleanupBatchSize() && !stopping);
    return total;
  }
}
