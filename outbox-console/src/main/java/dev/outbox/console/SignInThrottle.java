package dev.outbox.console;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down the guessing of a password or token: a small token bucket per client address. Each
 * attempt to sign in (a request with credentials) takes a try, and a success gives back the one it
 * took, not more: a page signed in and polling from the same address as a guesser refills nothing
 * for the guesser. After {@code maxFailures} failures an address has no try left and gets one back
 * per {@code pause}. Meanwhile its attempts are answered 429 without their credentials being
 * checked: the right password does not work at once after a burst of wrong ones. Nothing waits on a
 * thread. Taking the try before the check, not after a failure, means parallel guesses share the
 * bucket.
 *
 * <p>At most {@code maxClients} addresses are remembered, the least recently seen forgotten first;
 * one forgotten starts again with every try, as one never seen does.
 */
final class SignInThrottle {

  static final int MAX_CLIENTS = 10_000;

  private final Clock clock;
  private final long cost;
  private final long full;
  private final Map<String, Bucket> buckets;

  /** What a client has left, in milliseconds of {@code pause}: a try costs one whole pause. */
  private static final class Bucket {
    long credit;
    long at;

    Bucket(long credit, long at) {
      this.credit = credit;
      this.at = at;
    }
  }

  SignInThrottle(Clock clock, int maxFailures, Duration pause, int maxClients) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException(
          "outbox.console.max-failed-sign-ins must be 1 or more, was " + maxFailures);
    }
    if (pause.isNegative() || pause.isZero()) {
      throw new IllegalArgumentException(
          "outbox.console.failed-sign-in-pause must be positive, was " + pause);
    }
    this.clock = clock;
    this.cost = pause.toMillis();
    this.full = cost * maxFailures;
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Takes a try for this client; or, when it has none left, how long until it has one. */
  synchronized Optional<Duration> take(String client) {
    long now = clock.millis();
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(full, now));
    bucket.credit = Math.min(full, bucket.credit + Math.max(0, now - bucket.at));
    bucket.at = now;
    if (bucket.credit >= cost) {
      bucket.credit -= cost;
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(cost - bucket.credit));
  }

  /** The client signed in: the try it took back. */
  synchronized void succeeded(String client) {
    Bucket bucket = buckets.get(client);
    if (bucket != null) {
      bucket.credit = Math.min(full, bucket.credit + cost);
    }
  }

  /** How many clients are remembered. */
  synchronized int remembered() {
    return buckets.size();
  }
}
