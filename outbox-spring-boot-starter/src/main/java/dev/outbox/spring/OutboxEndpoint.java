package dev.outbox.spring;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import dev.outbox.DuplicateEventException;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The actuator's {@code outbox} endpoint, over HTTP: the dispatcher's state, workers, configuration
 * and backlog, and its dead letters, listed a page at a time with filters, replayed and purged.
 *
 * <ul>
 *   <li>{@code GET /actuator/outbox}: status.
 *   <li>{@code GET /actuator/outbox/deadletters?eventType=&aggregateType=&aggregateId=&from=&to=
 *       &afterId=&limit=}: a page of dead letters, oldest first; {@code nextAfterId} asks for the
 *       next.
 *   <li>{@code POST /actuator/outbox/deadletters/{eventId}}: replays one; {@code POST
 *       /actuator/outbox/deadletters} with the filters as a JSON body replays all that match.
 *   <li>{@code DELETE /actuator/outbox/deadletters/{eventId}}: purges one; {@code DELETE
 *       /actuator/outbox/deadletters?…} purges all that match.
 * </ul>
 *
 * <p>Replays and purges change data, so the endpoint is read-only unless {@code
 * management.endpoint.outbox.access=unrestricted}. A bulk operation needs a filter or {@code
 * all=true}. Every replay and purge is logged with the caller's name. Bad filters get a 400 whose
 * body says which and why.
 */
@WebEndpoint(id = "outbox", defaultAccess = Access.READ_ONLY)
public class OutboxEndpoint {

  private static final Logger log = LoggerFactory.getLogger(OutboxEndpoint.class);
  private static final String DEAD_LETTERS = "deadletters";
  private static final int STATUS_CONFLICT = 409;

  private final Dispatcher dispatcher;

  public OutboxEndpoint(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @ReadOperation
  public Status status() {
    return Status.of(dispatcher.metrics());
  }

  @ReadOperation
  public WebEndpointResponse<Object> deadLetters(
      @Selector String collection,
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable Long afterId,
      @Nullable Integer limit) {
    return respond(
        collection,
        () -> {
          DeadLetterQuery query =
              DeadLetterFilter.query(
                  eventType, aggregateType, aggregateId, from, to, afterId, limit);
          List<DeadLetter> page = deadLetters().list(query);
          Long next = page.size() == query.limit() ? page.get(page.size() - 1).id() : null;
          return ok(new DeadLetterPage(page, next));
        });
  }

  @WriteOperation
  public WebEndpointResponse<Object> replay(
      @Selector String collection, @Selector String eventId, SecurityContext caller) {
    return respond(
        collection,
        () -> {
          try {
            if (!deadLetters().replay(eventId)) {
              return notFound(eventId);
            }
          } catch (DuplicateEventException e) {
            return new WebEndpointResponse<>(
                new Failure(String.valueOf(e.getMessage())), STATUS_CONFLICT);
          }
          log.info("Dead letter {} replayed through the actuator by {}", eventId, name(caller));
          return ok(new Replayed(1));
        });
  }

  @WriteOperation
  public WebEndpointResponse<Object> replayMatching(
      @Selector String collection,
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable Boolean all,
      SecurityContext caller) {
    return respond(
        collection,
        () -> {
          DeadLetterQuery query =
              DeadLetterFilter.bulk(eventType, aggregateType, aggregateId, from, to, all);
          int replayed = deadLetters().replay(query);
          log.info(
              "{} dead letters replayed through the actuator by {} ({})",
              replayed,
              name(caller),
              DeadLetterFilter.describe(query));
          return ok(new Replayed(replayed));
        });
  }

  @DeleteOperation
  public WebEndpointResponse<Object> purge(
      @Selector String collection, @Selector String eventId, SecurityContext caller) {
    return respond(
        collection,
        () -> {
          if (!deadLetters().purge(eventId)) {
            return notFound(eventId);
          }
          log.info("Dead letter {} purged through the actuator by {}", eventId, name(caller));
          return ok(new Purged(1));
        });
  }

  @DeleteOperation
  public WebEndpointResponse<Object> purgeMatching(
      @Selector String collection,
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable Boolean all,
      SecurityContext caller) {
    return respond(
        collection,
        () -> {
          DeadLetterQuery query =
              DeadLetterFilter.bulk(eventType, aggregateType, aggregateId, from, to, all);
          int purged = deadLetters().purge(query);
          log.info(
              "{} dead letters purged through the actuator by {} ({})",
              purged,
              name(caller),
              DeadLetterFilter.describe(query));
          return ok(new Purged(purged));
        });
  }

  private DeadLetters deadLetters() {
    return dispatcher.deadLetters();
  }

  /**
   * The operation's answer, or a 400 whose body says what was wrong: Boot's error page would hide
   * the message.
   */
  private static WebEndpointResponse<Object> respond(
      String collection, Supplier<WebEndpointResponse<Object>> operation) {
    if (!DEAD_LETTERS.equals(collection)) {
      return badRequest(
          "No such part of the outbox endpoint: '" + collection + "'; there is " + DEAD_LETTERS);
    }
    try {
      return operation.get();
    } catch (IllegalArgumentException e) {
      return badRequest(String.valueOf(e.getMessage()));
    }
  }

  private static WebEndpointResponse<Object> ok(Object body) {
    return new WebEndpointResponse<>(body);
  }

  private static WebEndpointResponse<Object> badRequest(String message) {
    return new WebEndpointResponse<>(new Failure(message), WebEndpointResponse.STATUS_BAD_REQUEST);
  }

  private static WebEndpointResponse<Object> notFound(String eventId) {
    return new WebEndpointResponse<>(
        new Failure("No dead letter with event id " + eventId),
        WebEndpointResponse.STATUS_NOT_FOUND);
  }

  private static String name(SecurityContext caller) {
    Principal principal = caller.getPrincipal();
    return principal == null ? "an anonymous caller" : principal.getName();
  }

  /** The dispatcher now: what {@code GET /actuator/outbox} returns. */
  public record Status(
      boolean running,
      Backlog backlog,
      long deadLetters,
      @Nullable String oldestWaitingAge,
      Totals totals,
      List<DispatcherMetrics.Worker> workers,
      Map<String, String> config) {

    static Status of(DispatcherMetrics m) {
      Duration oldest = m.oldestWaitingAge();
      return new Status(
          m.running(),
          new Backlog(m.pending(), m.retry(), m.processing(), m.failed(), m.backlog()),
          m.deadLetters(),
          oldest == null ? null : oldest.toString(),
          new Totals(
              m.published(), m.retried(), m.deadLettered(), m.failedAttempts(), m.recoveredStuck()),
          m.workers(),
          m.config());
    }
  }

  /** Events not yet sent nor dead-lettered, by status, in the shared table. */
  public record Backlog(long pending, long retry, long processing, long failed, long total) {}

  /** This dispatcher's running totals since it started. */
  public record Totals(
      long published, long retried, long deadLettered, long failedAttempts, long recoveredStuck) {}

  /** A page of dead letters; {@code nextAfterId} is the {@code afterId} of the next, if any. */
  public record DeadLetterPage(List<DeadLetter> deadLetters, @Nullable Long nextAfterId) {}

  /** How many dead letters went back into the outbox. */
  public record Replayed(int replayed) {}

  /** How many dead letters were deleted. */
  public record Purged(int purged) {}

  /** Why an operation did nothing. */
  public record Failure(String error) {}
}
