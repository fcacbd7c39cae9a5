package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.PublishException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Decides whether a failed send can succeed if tried again.
 *
 * <p>Permanent: the record or the destination is wrong, or the client is not allowed to write; the
 * same send will fail the same way, so the event should go to the dead letters at once. Everything
 * else, including errors this class does not know, is retriable: a wrongly retried event only costs
 * attempts, while a wrongly dead-lettered one needs a person to replay it.
 */
final class KafkaErrorClassifier {

  /** Subclasses count too: AuthorizationException covers Topic/Cluster/Group authorization. */
  private static final List<Class<? extends Throwable>> PERMANENT =
      List.of(
          RecordTooLargeException.class,
          RecordBatchTooLargeException.class,
          InvalidRecordException.class,
          InvalidTopicException.class,
          AuthorizationException.class,
          AuthenticationException.class,
          SerializationException.class,
          UnsupportedVersionException.class);

  /** Guards against pathological cause chains; real ones are two or three deep. */
  private static final int MAX_CAUSE_DEPTH = 16;

  private KafkaErrorClassifier() {}

  /**
   * Whether {@code error} is worth retrying. The outermost exception in the cause chain that is
   * either a known permanent type or a Kafka {@link RetriableException} decides, because clients
   * and frameworks wrap the broker's error in generic exceptions.
   */
  static boolean isRetriable(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
      if (!seen.add(current)) {
        break;
      }
      if (isPermanentType(current)) {
        return false;
      }
      if (current instanceof RetriableException) {
        return true;
      }
      current = current.getCause();
    }
    return true;
  }

  /** Wraps {@code error} in a classified exception whose message names the event and topic. */
  static PublishException toPublishException(Throwable error, EventRecord event) {
    if (error instanceof PublishException alreadyClassified) {
      return alreadyClassified;
    }
    Throwable cause = unwrap(error);
    boolean retriable = isRetriable(cause);
    String message =
        "Publishing event "
            + event.eventId()
            + " ("
            + event.eventType()
            + ") to topic '"
            + event.topic()
            + "' failed "
            + (retriable ? "(retriable)" : "permanently")
            + ": "
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage();
    return retriable
        ? PublishException.retriable(message, cause)
        : PublishException.permanent(message, cause);
  }

  private static boolean isPermanentType(Throwable error) {
    for (Class<? extends Throwable> type : PERMANENT) {
      if (type.isInstance(error)) {
        return true;
      }
    }
    return false;
  }

  /** Future wrappers add nothing to the message; report the exception they carry. */
  private static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null
        && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }
}
