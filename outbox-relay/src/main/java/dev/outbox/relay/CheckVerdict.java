package dev.outbox.relay;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What reached the topic, checked against what was committed: lost (committed, neither on the topic
 * nor a dead letter), phantom (on the topic, never committed: a rolled-back transaction's event,
 * say), reordered (an event first on the topic after a later event of its aggregate, in its
 * partition), split (an aggregate on more than one partition, whose order no consumer can rely on:
 * a partitioner other than by key), dead letters, and duplicates, which at-least-once delivery
 * allows.
 */
record CheckVerdict(
    int committed,
    int rolledBack,
    long delivered,
    long lost,
    long phantom,
    long reordered,
    long split,
    long deadLettered,
    long duplicates) {

  boolean passed() {
    return lost == 0 && phantom == 0 && reordered == 0 && split == 0 && deadLettered == 0;
  }

  static CheckVerdict of(
      CheckLedger ledger, List<List<CheckTopic.Delivery>> partitions, Set<String> deadLetters) {
    Set<String> seen = new HashSet<>();
    long delivered = 0;
    long duplicates = 0;
    long phantom = 0;
    long reordered = 0;
    Map<String, Integer> partitionOf = new HashMap<>();
    Set<String> split = new HashSet<>();
    for (List<CheckTopic.Delivery> partition : partitions) {
      Map<String, Long> last = new HashMap<>();
      for (CheckTopic.Delivery d : partition) {
        delivered++;
        if (!seen.add(d.eventId())) {
          duplicates++;
          continue;
        }
        CheckLedger.Written written = ledger.committedEvent(d.eventId());
        if (written == null) {
          phantom++;
          continue;
        }
        Integer other = partitionOf.putIfAbsent(written.aggregateId(), d.partition());
        if (other != null && other != d.partition()) {
          split.add(written.aggregateId());
        }
        Long previous = last.get(written.aggregateId());
        if (previous != null && previous > written.sequence()) {
          reordered++;
        } else {
          last.put(written.aggregateId(), written.sequence());
        }
      }
    }
    long lost =
        ledger.committedIds().stream()
            .filter(id -> !seen.contains(id) && !deadLetters.contains(id))
            .count();
    long deadLettered = deadLetters.stream().filter(id -> !seen.contains(id)).count();
    return new CheckVerdict(
        ledger.committedCount(),
        ledger.rolledBackCount(),
        delivered,
        lost,
        phantom,
        reordered,
        split.size(),
        deadLettered,
        duplicates);
  }

  String line() {
    return String.format(
        "%s: committed=%d rolled_back=%d delivered=%d lost=%d phantom=%d reordered=%d"
            + " split=%d dead_lettered=%d duplicates=%d",
        passed() ? "PASSED" : "FAILED",
        committed,
        rolledBack,
        delivered,
        lost,
        phantom,
        reordered,
        split,
        deadLettered,
        duplicates);
  }
}
