package dev.outbox.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What reached Kafka, checked against what the writers committed: lost (committed, neither
 * delivered nor a dead letter), phantom (delivered, never committed), reordered (an event first
 * delivered after a later-committed event of its aggregate), and duplicates, each of which must be
 * explained by an injected fault. Also reported: dead letters no injected failure of their own
 * explains (a broker outage or a crash made them), and the spread of the dispatchers' host clocks.
 */
record Verdict(
    String engine,
    long events,
    long committed,
    long rolledBack,
    long delivered,
    long deadLetters,
    long lost,
    long phantom,
    long reordered,
    long duplicates,
    long unexplainedDuplicates,
    long undrained,
    long outageDeadLetters,
    long skewMillis,
    int faults,
    List<String> examples) {

  private static final int MAX_EXAMPLES = 10;

  /**
   * @param partitions the records of each partition in offset order
   * @param remainingDeadLetters ids of events still in the dead-letter table at the end
   * @param undrained events neither sent nor replayed when the checker gave up draining
   * @param outageDeadLetters dead letters that no injected failure of their own explains
   * @param skewMillis the largest difference between two dispatchers' host clocks
   */
  static Verdict of(
      String engine,
      Ledger ledger,
      List<List<Delivery>> partitions,
      Set<String> remainingDeadLetters,
      long undrained,
      long deadLettered,
      long outageDeadLetters,
      long skewMillis,
      List<Fault> faults) {
    List<String> examples = new ArrayList<>();
    Map<String, Delivery> first = new HashMap<>();
    long duplicates = 0;
    long unexplained = 0;
    long phantom = 0;
    long reordered = 0;
    for (List<Delivery> partition : partitions) {
      Map<String, Long> lastSequence = new HashMap<>();
      for (Delivery d : partition) {
        Delivery earlier = first.putIfAbsent(d.eventId(), d);
        if (earlier != null) {
          duplicates++;
          if (faults.stream().noneMatch(f -> f.explains(earlier.publishedAt(), d.publishedAt()))) {
            unexplained++;
            example(
                examples,
                "unexplained duplicate of "
                    + d.eventId()
                    + " published at "
                    + earlier.publishedAt()
                    + " and "
                    + d.publishedAt());
          }
          continue;
        }
        Ledger.Written written = ledger.committedEvent(d.eventId());
        if (written == null) {
          phantom++;
          example(
              examples,
              "phantom "
                  + d.eventId()
                  + (ledger.wasRolledBack(d.eventId())
                      ? " (its transaction rolled back)"
                      : " (never written)"));
          continue;
        }
        Long previous = lastSequence.get(written.aggregateId());
        if (previous != null && written.sequence() < previous) {
          reordered++;
          example(
              examples,
              "reordered "
                  + d.eventId()
                  + ": "
                  + written.aggregateId()
                  + " #"
                  + written.sequence()
                  + " first delivered after #"
                  + previous);
        } else {
          lastSequence.put(written.aggregateId(), written.sequence());
        }
      }
    }
    long delivered = 0;
    long lost = 0;
    Set<String> lostIds = new HashSet<>();
    for (String id : ledger.committedEvents().keySet()) {
      if (first.containsKey(id)) {
        delivered++;
      } else if (!remainingDeadLetters.contains(id)) {
        lost++;
        lostIds.add(id);
      }
    }
    lostIds.stream().sorted().limit(MAX_EXAMPLES).forEach(id -> example(examples, "lost " + id));
    return new Verdict(
        engine,
        ledger.committedCount() + ledger.rolledBackCount(),
        ledger.committedCount(),
        ledger.rolledBackCount(),
        delivered,
        deadLettered,
        lost,
        phantom,
        reordered,
        duplicates,
        unexplained,
        undrained,
        outageDeadLetters,
        skewMillis,
        faults.size(),
        examples);
  }

  private static void example(List<String> examples, String example) {
    if (examples.size() < MAX_EXAMPLES * 3) {
      examples.add(example);
    }
  }

  /**
   * No loss, no phantom, no reordering, every duplicate explained by a fault, no dead letter that
   * no injected failure explains (an outage must not make any), and the outbox drained (a dead
   * letter that could not be replayed is excused from "lost" only for the count).
   */
  boolean passed() {
    return lost == 0
        && phantom == 0
        && reordered == 0
        && unexplainedDuplicates == 0
        && outageDeadLetters == 0
        && undrained == 0;
  }

  String line() {
    return "checker: engine="
        + engine
        + " events="
        + events
        + " committed="
        + committed
        + " rolledback="
        + rolledBack
        + " delivered="
        + delivered
        + " deadletters="
        + deadLetters
        + " lost="
        + lost
        + " phantom="
        + phantom
        + " reordered="
        + reordered
        + " duplicates="
        + duplicates
        + " faults="
        + faults
        + " outage_deadletters="
        + outageDeadLetters
        + " unexplained_duplicates="
        + unexplainedDuplicates
        + " skew_ms="
        + skewMillis;
  }
}
