package dev.outbox.peers.gruelbox;

import java.util.concurrent.ExecutionException;

/**
 * What each gruelbox entry calls: {@code outbox.schedule(KafkaSend.class).send(...)} records the
 * call in the transaction; processing the entry makes the real call.
 */
public interface KafkaSend {

  /** Sends one record and returns once the broker has acknowledged it. */
  void send(String topic, String key, String value) throws InterruptedException, ExecutionException;
}
