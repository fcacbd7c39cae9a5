package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a peer delivered, counted from its topic read back whole: the records, the backlog's events
 * missing and duplicated, and the records <em>reordered</em>: in one partition's offset order, a
 * record of an aggregate whose sequence is lower than the highest already read for that aggregate
 * (a redelivery of an older event after a newer one counts too: a consumer sees it out of order). A
 * record whose value is not a payload of the backlog ({@link PeerEvents#payload}) is counted among
 * the records and as unreadable, in no other column.
 */
final class Deliveries {

  private final int events;
  private final int aggregates;
  private final int[] copies;
  private final Map<Integer, long[]> highestByPartition = new HashMap<>();
  private long records;
  private long unreadable;
  private long reordered;
  private int distinct;

  Deliveries(int events, int aggregates) {
    this.events = events;
    this.aggregates = aggregates;
    this.copies = new int[events];
  }

  /** Reads every record of {@code topic}, from its first offset to its end when called. */
  static Deliveries read(
      String bootstrapServers, String topic, int events, int aggregates, Duration timeout) {
    Deliveries deliveries = new Deliveries(events, aggregates);
    TopicReader.readAll(
        bootstrapServers,
        topic,
        timeout,
        r -> deliveries.accept(r.partition(), r.key(), r.value()));
    return deliveries;
  }

  /** Counts one record; records of one partition must come in offset order. */
  void accept(int partition, @Nullable String key, @Nullable String value) {
    records++;
    BacklogEvent event = BacklogEvent.parse(value, aggregates);
    if (event == null || event.index(aggregates) >= events) {
      unreadable++;
      return;
    }
    int aggregate = event.aggregate();
    long sequence = event.sequence();
    long index = event.index(aggregates);
    if (copies[(int) index]++ == 0) {
      distinct++;
    }
    long[] highest =
        highestByPartition.computeIfAbsent(
            partition,
            p -> {
              long[] fresh = new long[aggregates];
              Arrays.fill(fresh, -1);
              return fresh;
            });
    if (sequence < highest[aggregate]) {
      reordered++;
    } else {
      highest[aggregate] = sequence;
    }
  }

  long records() {
    return records;
  }

  long missing() {
    return (long) events - distinct;
  }

  long duplicates() {
    return records - unreadable - distinct;
  }

  long reordered() {
    return reordered;
  }

  long unreadable() {
    return unreadable;
  }
}
