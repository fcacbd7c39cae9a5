package dev.outbox.internal;

import dev.outbox.Redaction;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How a worker's runs went: when it last ran, the error of its last run, and since when its runs
 * have failed without a success between, so a health check can tell a blip from a failing worker.
 * One snapshot, replaced whole, so a reader never sees the error of one run with the time of
 * another.
 */
public final class WorkerState {

  /** The worker's runs as of its last one. */
  public record Snapshot(
      @Nullable Instant lastRunAt, @Nullable String lastError, @Nullable Instant failingSince) {}

  private volatile Snapshot snapshot = new Snapshot(null, null, null);

  /** A run ended well. */
  public void succeeded() {
    snapshot = new Snapshot(Instant.now(), null, null);
  }

  /**
   * A run failed, or the worker cannot do its work (the broker is down). The error is kept with its
   * credentials masked: metrics, health and the console show it.
   */
  public void failed(String error) {
    Instant now = Instant.now();
    Instant since = snapshot.failingSince();
    snapshot = new Snapshot(now, Redaction.mask(error), since == null ? now : since);
  }

  public Snapshot snapshot() {
    return snapshot;
  }
}
