package dev.outbox.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * An event of the peers' backlog as read back from a record's value: {@code
 * {"aggregate":"agg-7","seq":3,…}} (dev.outbox.peers.PeerEvents, which writes event {@code i} as
 * aggregate {@code i mod A}, sequence {@code i div A}).
 */
record BacklogEvent(int aggregate, long sequence) {

  /** The event a value holds, or null if it is no payload of a backlog of these aggregates. */
  static @Nullable BacklogEvent parse(@Nullable String value, int aggregates) {
    if (value == null) {
      return null;
    }
    try {
      int aggregate = Integer.parseInt(field(value, "\"aggregate\":\"agg-", '"'));
      long sequence = Long.parseLong(field(value, "\"seq\":", ','));
      return aggregate < 0 || aggregate >= aggregates || sequence < 0
          ? null
          : new BacklogEvent(aggregate, sequence);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Its {@code i} in a backlog of {@code aggregates}. */
  long index(int aggregates) {
    return sequence * aggregates + aggregate;
  }

  /** The text between {@code prefix} and the next {@code end}; an exception if there is none. */
  private static String field(String value, String prefix, char end) {
    int start = value.indexOf(prefix);
    if (start < 0) {
      throw new IllegalArgumentException("no " + prefix);
    }
    start += prefix.length();
    int stop = value.indexOf(end, start);
    if (stop < 0) {
      throw new IllegalArgumentException("no end of " + prefix);
    }
    return value.substring(start, stop);
  }
}
