package dev.outbox.internal;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Generates time-ordered UUIDs (version 7, RFC 9562): unique without coordination, and inserted in
 * roughly ascending order, which keeps the unique index on event ids compact.
 */
public final class EventIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private EventIds() {}

  public static String newId() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
