package dev.outbox.checker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What the writers wrote, as they saw it: the events of committed transactions, of transactions
 * rolled back (on purpose, or aborted by a fault before their commit), and of transactions whose
 * commit failed so that its outcome is unknown until the database is asked.
 */
final class Ledger {

  /**
   * One written event.
   *
   * @param sequence its place among the committed events of its aggregate, counting from 1; taken
   *     from the aggregate's row under its lock, so it is also the commit order
   */
  record Written(String eventId, String aggregateId, long sequence) {}

  private final Map<String, Written> committed = new ConcurrentHashMap<>();
  private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Written>> inDoubt = new ConcurrentHashMap<>();
  private final AtomicLong aborted = new AtomicLong();
  private volatile String lastAbort = "none";

  void committed(List<Written> events) {
    events.forEach(e -> committed.put(e.eventId(), e));
  }

  void rolledBack(List<Written> events) {
    events.forEach(e -> rolledBack.add(e.eventId()));
  }

  /** A transaction that a fault broke off before its commit; its events count as rolled back. */
  void aborted(List<Written> events, Exception cause) {
    rolledBack(events);
    aborted.incrementAndGet();
    lastAbort = String.valueOf(cause);
  }

  /** How many transactions were broken off, and why the last one was. */
  String abortedSummary() {
    long count = aborted.get();
    return count == 0 ? "0" : count + " (last: " + lastAbort + ")";
  }

  void inDoubt(String txId, List<Written> events) {
    inDoubt.put(txId, events);
  }

  Set<String> inDoubtTransactions() {
    return Set.copyOf(inDoubt.keySet());
  }

  /** Settles the transactions in doubt: those in {@code committedTxIds} committed, others not. */
  void resolve(Set<String> committedTxIds) {
    inDoubt.forEach(
        (txId, events) -> {
          if (committedTxIds.contains(txId)) {
            committed(events);
          } else {
            rolledBack(events);
          }
        });
    inDoubt.clear();
  }

  long committedCount() {
    return committed.size();
  }

  long rolledBackCount() {
    return rolledBack.size();
  }

  long inDoubtCount() {
    return inDoubt.values().stream().mapToLong(List::size).sum();
  }

  @Nullable Written committedEvent(String eventId) {
    return committed.get(eventId);
  }

  boolean wasRolledBack(String eventId) {
    return rolledBack.contains(eventId);
  }

  Map<String, Written> committedEvents() {
    return committed;
  }
}
