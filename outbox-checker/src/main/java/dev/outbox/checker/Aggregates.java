package dev.outbox.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The aggregates the writers write to: a few hot ones that share a given fraction of all events,
 * and many cold ones that share the rest. Also decides which events get an injected publish
 * failure: about 1 % fail once, and on cold aggregates (so the hot ones keep flowing) 0.1 % fail on
 * every attempt and 0.1 % fail permanently.
 */
final class Aggregates {

  private final int hot;
  private final double hotShare;
  private final int cold;

  Aggregates(int hot, double hotShare, int cold) {
    this.hot = hot;
    this.hotShare = hotShare;
    this.cold = cold;
  }

  List<String> all() {
    List<String> all = new ArrayList<>(hot + cold);
    for (int i = 0; i < hot; i++) {
      all.add(hot(i));
    }
    for (int i = 0; i < cold; i++) {
      all.add(cold(i));
    }
    return all;
  }

  String pick(Random random) {
    return random.nextDouble() < hotShare ? hot(random.nextInt(hot)) : cold(random.nextInt(cold));
  }

  @Nullable String injectedFault(String aggregateId, Random random) {
    double draw = random.nextDouble();
    if (draw < 0.01) {
      return FaultInjectingPublisher.FAIL_ONCE;
    }
    if (aggregateId.startsWith("cold-") && draw < 0.011) {
      return FaultInjectingPublisher.FAIL_ALWAYS;
    }
    if (aggregateId.startsWith("cold-") && draw < 0.012) {
      return FaultInjectingPublisher.FAIL_PERMANENTLY;
    }
    return null;
  }

  private static String hot(int i) {
    return "hot-" + i;
  }

  private static String cold(int i) {
    return "cold-" + i;
  }
}
