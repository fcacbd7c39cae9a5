package dev.outbox.relay;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** What {@code outbox check} wrote: the events of committed and of rolled-back transactions. */
final class CheckLedger {

  /**
   * A committed event.
   *
   * @param sequence its place in its aggregate's order, from 1
   */
  record Written(String aggregateId, long sequence) {}

  private final Map<String, Written> committed = new ConcurrentHashMap<>();
  private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();

  void committed(String eventId, String aggregateId, long sequence) {
    committed.put(eventId, new Written(aggregateId, sequence));
  }

  void rolledBack(String eventId) {
    rolledBack.add(eventId);
  }

  @Nullable Written committedEvent(String eventId) {
    return committed.get(eventId);
  }

  Set<String> committedIds() {
    return committed.keySet();
  }

  int committedCount() {
    return committed.size();
  }

  int rolledBackCount() {
    return rolledBack.size();
  }
}
