package dev.outbox.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How a worker's runs went: when it last ran, the error of its last run, and since when its runs
 * have failed without a success between, so a health check can tell a blip from a failing worker.
 */
public final class WorkerState {

  private volatile @Nullable Instant lastRunAt;
  private volatile @Nullable String lastError;
  private volatile @Nullable Instant failingSince;

  /** A run ended well. */
  public void succeeded() {
    lastError = null;
    failingSince = null;
    lastRunAt = Instant.now();
  }

  /** A run failed, or the worker cannot do its work (the broker is down). */
  public void failed(String error) {
    Instant now = Instant.now();
    lastError = error;
    if (failingSince == null) {
      failingSince = now;
    }
    lastRunAt = now;
  }

  public @Nullable Instant lastRunAt() {
    return lastRunAt;
  }

  public @Nullable String lastError() {
    return lastError;
  }

  public @Nullable Instant failingSince() {
    return failingSince;
  }
}
