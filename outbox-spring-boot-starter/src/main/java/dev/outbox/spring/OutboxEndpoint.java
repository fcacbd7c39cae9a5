package dev.outbox.spring;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterChange;
import dev.outbox.DeadLetterChange.Action;
import dev.outbox.DeadLetterFilter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import dev.outbox.Operator;
import dev.outbox.Redaction;
import dev.outbox.SelectionChangedException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
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
 * all=true}, and with {@code confirmed=N} it is refused (409) unless N dead letters match. Every
 * replay and purge is in the {@link dev.outbox.AuditTrail} with the caller's name. Bad filters get
 * a 400 whose body says which and why. Payloads and header values are listed only as {@code
 * management.endpoint.outbox.show-values} allows.
 */
@WebEndpoint(id = "outbox", defaultAccess = Access.READ_ONLY)
public class OutboxEndpoint {

  private static final String DEAD_LETTERS = "deadletters";
  private static final int STATUS_CONFLICT = 409;

  private static final String MASK = "******";

  private final Dispatcher dispatcher;
  private final Show showValues;
  private final Set<String> roles;

  /**
   * @param showValues when dead letters are listed with their payloads and header values, as {@code
   *     management.endpoint.outbox.show-values} says; never by default, as Boot's {@code env}
   *     endpoint shows none of its values
   * @param roles the roles that see them when {@code showValues} is {@code WHEN_AUTHORIZED}
   */
  public OutboxEndpoint(Dispatcher dispatcher, Show showValues, Set<String> roles) {
    this.dispatcher = dispatcher;
    this.showValues = showValues;
    this.roles = Set.copyOf(roles);
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
      @Nullable String error,
      @Nullable Long afterId,
      @Nullable Integer limit,
      SecurityContext caller) {
    return respond(
        collection,
        () -> {
          DeadLetterQuery.Builder filtered =
              filter(eventType, aggregateType, aggregateId, from, to, error).query();
          if (afterId != null) {
            filtered.afterId(afterId);
          }
          if (limit != null) {
            filtered.limit(limit);
          }
          DeadLetterQuery query = filtered.build();
          List<DeadLetter> page = deadLetters().list(query);
          Long next = page.size() == query.limit() ? page.get(page.size() - 1).id() : null;
          boolean shown = showValues.isShown(caller, roles);
          return ok(
              new DeadLetterPage(
                  page.stream().map(letter -> DeadLetterView.of(letter, shown)).toList(), next));
        });
  }

  @WriteOperation
  public WebEndpointResponse<Object> replay(
      @Selector String collection, @Selector String eventId, SecurityContext caller) {
    return changeOne(collection, eventId, Action.REPLAY, caller);
  }

  @WriteOperation
  public WebEndpointResponse<Object> replayMatching(
      @Selector String collection,
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable String error,
      @Nullable Boolean all,
      @Nullable Integer confirmed,
      SecurityContext caller) {
    return changeMatching(
        collection,
        () ->
            filter(eventType, aggregateType, aggregateId, from, to, error)
                .forBulk(Boolean.TRUE.equals(all), "all=true"),
        confirmed,
        Action.REPLAY,
        caller);
  }

  @DeleteOperation
  public WebEndpointResponse<Object> purge(
      @Selector String collection, @Selector String eventId, SecurityContext caller) {
    return changeOne(collection, eventId, Action.PURGE, caller);
  }

  @DeleteOperation
  public WebEndpointResponse<Object> purgeMatching(
      @Selector String collection,
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable String error,
      @Nullable Boolean all,
      @Nullable Integer confirmed,
      SecurityContext caller) {
    return changeMatching(
        collection,
        () ->
            filter(eventType, aggregateType, aggregateId, from, to, error)
                .forBulk(Boolean.TRUE.equals(all), "all=true"),
        confirmed,
        Action.PURGE,
        caller);
  }

  private WebEndpointResponse<Object> changeOne(
      String collection, String eventId, Action action, SecurityContext caller) {
    return respond(
        collection,
        () -> {
          DeadLetterChange.Result result =
              run(deadLetters().select(action, List.of(eventId)), caller);
          if (result.failure() == null && result.gone() > 0) {
            return new WebEndpointResponse<>(
                new Failure("No dead letter with event id " + eventId),
                WebEndpointResponse.STATUS_NOT_FOUND);
          }
          if (result.failure() == null && result.refused() > 0) {
            return new WebEndpointResponse<>(
                new Failure(DeadLetterChange.refusal(eventId)), STATUS_CONFLICT);
          }
          return answer(result);
        });
  }

  private static DeadLetterFilter filter(
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable String error) {
    return DeadLetterFilter.builder()
        .eventType(eventType)
        .aggregateType(aggregateType)
        .aggregateId(aggregateId)
        .from(from)
        .to(to)
        .error(error)
        .build();
  }

  private WebEndpointResponse<Object> changeMatching(
      String collection,
      Supplier<DeadLetterFilter> selected,
      @Nullable Integer confirmed,
      Action action,
      SecurityContext caller) {
    return respond(
        collection,
        () -> {
          DeadLetterChange change = deadLetters().select(action, selected.get());
          if (confirmed != null) {
            change.confirmed(confirmed);
          }
          return answer(run(change, caller));
        });
  }

  private static DeadLetterChange.Result run(DeadLetterChange change, SecurityContext caller) {
    return change.run(new Operator(name(caller), "actuator", null), DeadLetterChange.Listener.NONE);
  }

  /** The counts, or a 500 saying how far it went when a failure stopped it. */
  private static WebEndpointResponse<Object> answer(DeadLetterChange.Result result) {
    if (result.failure() != null) {
      return new WebEndpointResponse<>(
          new Failure(result.describe()), WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
    }
    return ok(
        result.action() == Action.REPLAY
            ? new Replayed(result.done(), result.gone(), result.refused())
            : new Purged(result.done(), result.gone()));
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
      return new WebEndpointResponse<>(
          new Failure(
              "No such part of the outbox endpoint: '"
                  + collection
                  + "'; there is "
                  + DEAD_LETTERS),
          WebEndpointResponse.STATUS_NOT_FOUND);
    }
    try {
      return operation.get();
    } catch (IllegalArgumentException e) {
      return badRequest(String.valueOf(e.getMessage()));
    } catch (SelectionChangedException e) {
      return new WebEndpointResponse<>(
          new Failure(String.valueOf(e.getMessage())), STATUS_CONFLICT);
    }
  }

  private static WebEndpointResponse<Object> ok(Object body) {
    return new WebEndpointResponse<>(body);
  }

  private static WebEndpointResponse<Object> badRequest(String message) {
    return new WebEndpointResponse<>(new Failure(message), WebEndpointResponse.STATUS_BAD_REQUEST);
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
      List<WorkerStatus> workers,
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
          m.workers().stream().map(WorkerStatus::of).toList(),
          m.config());
    }
  }

  /**
   * One of the dispatcher's workers, as the endpoint answers it.
   *
   * @param lastRunAt when its last run ended, well or not
   * @param lastError the error of its last run, or {@code null} if that run went well
   * @param failingSince when the failures that go on now began, or {@code null}
   */
  public record WorkerStatus(
      String name,
      boolean running,
      long runs,
      @Nullable Instant lastRunAt,
      @Nullable String lastError,
      @Nullable Instant failingSince) {

    static WorkerStatus of(DispatcherMetrics.Worker w) {
      return new WorkerStatus(
          w.name(), w.running(), w.runs(), w.lastRunAt(), w.lastError(), w.failingSince());
    }
  }

  /** Events not yet sent nor dead-lettered, by status, in the shared table. */
  public record Backlog(long pending, long retry, long processing, long failed, long total) {}

  /** This dispatcher's running totals since it started. */
  public record Totals(
      long published, long retried, long deadLettered, long failedAttempts, long recoveredStuck) {}

  /** A page of dead letters; {@code nextAfterId} is the {@code afterId} of the next, if any. */
  public record DeadLetterPage(List<DeadLetterView> deadLetters, @Nullable Long nextAfterId) {}

  /**
   * A dead letter as the endpoint answers it: its error masked ({@link Redaction}), and its payload
   * and header values masked unless they may be shown to the caller, as they may hold personal
   * data.
   */
  public record DeadLetterView(
      long id,
      long originalId,
      String eventId,
      String eventType,
      String aggregateType,
      String aggregateId,
      String topic,
      String payload,
      @Nullable String traceparent,
      Map<String, String> headers,
      int attempts,
      @Nullable String lastError,
      Instant createdAt,
      Instant deadLetteredAt) {

    static DeadLetterView of(DeadLetter d, boolean shown) {
      Map<String, String> headers = new LinkedHashMap<>(d.headers());
      if (!shown) {
        headers.replaceAll((name, value) -> MASK);
      }
      return new DeadLetterView(
          d.id(),
          d.originalId(),
          d.eventId(),
          d.eventType(),
          d.aggregateType(),
          d.aggregateId(),
          d.topic(),
          shown ? d.payload() : MASK,
          d.traceparent(),
          headers,
          d.attempts(),
          Redaction.text(d.lastError()),
          d.createdAt(),
          d.deadLetteredAt());
    }
  }

  /**
   * How many dead letters went back into the outbox.
   *
   * @param alreadyGone replayed or purged by someone else meanwhile
   * @param refused whose event ids are in the outbox again
   */
  public record Replayed(int replayed, int alreadyGone, int refused) {}

  /**
   * How many dead letters were deleted.
   *
   * @param alreadyGone purged or replayed by someone else meanwhile
   */
  public record Purged(int purged, int alreadyGone) {}

  /** Why an operation did nothing. */
  public record Failure(String error) {}
}
