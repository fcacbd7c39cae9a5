package dev.outbox.internal;

import java.time.Duration;

/** A sleep that another thread can cut short, so new work or a shutdown is noticed at once. */
public final class Waiter {

  private boolean woken;

  /** Waits up to {@code timeout}, or until {@link #wake()}; a wake before the wait counts. */
  public synchronized void await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!woken) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(left / 1_000_000, (int) (left % 1_000_000));
    }
    woken = false;
  }

  public synchronized void wake() {
    woken = true;
    notifyAll();
  }
}
