package dev.outbox.peers;

/**
 * The backlog every peer writes: event {@code i} belongs to aggregate {@code agg-(i mod A)} and is
 * its {@code (i div A)}-th, so written in order of {@code i} each aggregate's events are in order
 * of their sequence. The record's key is the aggregate, its value the payload.
 */
public final class PeerEvents {

  private PeerEvents() {}

  public static String aggregate(int i, int aggregates) {
    return "agg-" + (i % aggregates);
  }

  public static long sequence(int i, int aggregates) {
    return i / aggregates;
  }

  /** {@code {"aggregate":"agg-7","seq":3,"data":"xx…"}}, padded to about {@code bytes}. */
  public static String payload(String aggregate, long sequence, int bytes) {
    String head = "{\"aggregate\":\"" + aggregate + "\",\"seq\":" + sequence + ",\"data\":\"";
    int padding = Math.max(0, bytes - head.length() - 2);
    return head + "x".repeat(padding) + "\"}";
  }

  /** The aggregate of a payload written by {@link #payload}. */
  public static String aggregateOf(String payload) {
    int start = payload.indexOf("\"aggregate\":\"") + "\"aggregate\":\"".length();
    return payload.substring(start, payload.indexOf('"', start));
  }

  /** The sequence of a payload written by {@link #payload}. */
  public static long sequenceOf(String payload) {
    int start = payload.indexOf("\"seq\":") + "\"seq\":".length();
    return Long.parseLong(payload.substring(start, payload.indexOf(',', start)));
  }
}
