package dev.outbox.console;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterChange;
import dev.outbox.DeadLetterFilter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.Dispatcher;
import dev.outbox.Operator;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxInspector.Backlog;
import dev.outbox.Redaction;
import dev.outbox.SelectionChangedException;
import dev.outbox.console.ConsoleViews.BacklogView;
import dev.outbox.console.ConsoleViews.Count;
import dev.outbox.console.ConsoleViews.DeadLetterDetail;
import dev.outbox.console.ConsoleViews.DeadLetterPage;
import dev.outbox.console.ConsoleViews.DeadLetterRow;
import dev.outbox.console.ConsoleViews.Done;
import dev.outbox.console.ConsoleViews.HeldView;
import dev.outbox.console.ConsoleViews.JobView;
import dev.outbox.console.ConsoleViews.LeaseView;
import dev.outbox.console.ConsoleViews.Overview;
import dev.outbox.console.ConsoleViews.Problem;
import dev.outbox.console.ConsoleViews.SampleView;
import dev.outbox.console.ConsoleViews.Session;
import dev.outbox.console.ConsoleViews.UnsentEventView;
import dev.outbox.console.ConsoleViews.WorkerView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's JSON API, below {@code <outbox.console.path>/api}. Reading needs a signed-in user
 * unless {@code outbox.console.anonymous-read} is on, and even then a dead letter's payload and
 * headers are shown to a signed-in user only. Replays and purges need a signed-in user and the
 * console's CSRF header ({@link CsrfGuard}); each, and each request refused, is in the {@link
 * dev.outbox.AuditTrail}. {@code /session} alone answers anyone: the page learns from it how to
 * sign in.
 */
@RestController
@RequestMapping(ConsolePaths.PROPERTY + "/api")
class ConsoleApi {

  static final int PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 500;
  static final int UNSENT_SHOWN = 50;

  private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);

  private final Dispatcher dispatcher;
  private final ConsoleHistory history;
  private final ConsoleAuth auth;
  private final BulkOperations bulk;

  ConsoleApi(Dispatcher dispatcher, ConsoleHistory history, ConsoleAuth auth, BulkOperations bulk) {
    this.dispatcher = dispatcher;
    this.history = history;
    this.auth = auth;
    this.bulk = bulk;
  }

  /** Who is signed in, how one signs in; gives the browser its CSRF cookie. */
  @GetMapping("/session")
  Session session(HttpServletRequest request, HttpServletResponse response) {
    CsrfGuard.issue(request, response);
    String user = auth.user(request).orElse(null);
    return new Session(user != null, user, auth.methods(), auth.anonymousRead());
  }

  @GetMapping("/overview")
  Overview overview(HttpServletRequest request) {
    auth.requireReader(request);
    ConsoleHistory.Tables tables = history.tables();
    Instant now = dispatcher.config().clock().instant();
    Backlog backlog = tables.backlog();
    Instant oldest = backlog == null ? null : backlog.oldestWaitingCreatedAt();
    return new Overview(
        now.toString(),
        dispatcher.isRunning(),
        dispatcher.config().instanceId(),
        dispatcher.config().deadLetterPolicy().name(),
        BacklogView.of(backlog),
        oldest == null ? null : Math.max(0, Duration.between(oldest, now).toMillis()),
        tables.at().toString(),
        tables.error(),
        history.published(),
        dispatcher.workers().stream().map(WorkerView::of).toList(),
        tables.leases().stream().map(lease -> LeaseView.of(lease, now)).toList(),
        tables.held().stream().map(HeldView::of).toList(),
        tables.heldTotal(),
        history.interval().toMillis(),
        history.samples().stream().map(SampleView::of).toList());
  }

  /** A page of dead letters, oldest first. */
  @GetMapping("/dead-letters")
  DeadLetterPage deadLetters(
      FilterParams filter,
      @RequestParam(defaultValue = "0") long afterId,
      @RequestParam(defaultValue = "" + PAGE_SIZE) int limit,
      HttpServletRequest request) {
    auth.requireReader(request);
    if (limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
    }
    List<DeadLetter> letters =
        deadLetters().list(filter.filter().query().afterId(afterId).limit(limit).build());
    Long next = letters.size() < limit ? null : letters.get(letters.size() - 1).id();
    return new DeadLetterPage(letters.stream().map(DeadLetterRow::of).toList(), next);
  }

  /** How many dead letters a bulk operation with this filter would act on. */
  @GetMapping("/dead-letters/count")
  Count count(FilterParams filter, HttpServletRequest request) {
    auth.requireReader(request);
    return new Count(deadLetters().count(filter.filter().query().build()));
  }

  /** One dead letter, with its payload and headers for a signed-in user. */
  @GetMapping("/dead-letter")
  DeadLetterDetail deadLetter(@RequestParam String eventId, HttpServletRequest request) {
    boolean shown = auth.requireReader(request).isPresent();
    DeadLetter letter = find(eventId);
    return new DeadLetterDetail(
        DeadLetterRow.of(letter),
        shown,
        shown ? letter.payload() : null,
        shown ? letter.headers() : null,
        shown ? letter.traceparent() : null);
  }

  @PostMapping("/dead-letter/replay")
  Done replay(@RequestBody EventId body, HttpServletRequest request) {
    return changeOne(DeadLetterChange.Action.REPLAY, body.required(), request);
  }

  @PostMapping("/dead-letter/purge")
  Done purge(@RequestBody EventId body, HttpServletRequest request) {
    return changeOne(DeadLetterChange.Action.PURGE, body.required(), request);
  }

  private Done changeOne(
      DeadLetterChange.Action action, String eventId, HttpServletRequest request) {
    Operator operator = authorize(request, action.verb() + " dead letters");
    DeadLetterChange.Result result =
        deadLetters()
            .select(action, List.of(eventId))
            .run(operator, DeadLetterChange.Listener.NONE);
    RuntimeException failure = result.failure();
    if (failure != null) {
      throw failure;
    }
    if (result.gone() > 0) {
      throw notFound(eventId);
    }
    if (result.refused() > 0) {
      throw new ConsoleException(HttpStatus.CONFLICT, DeadLetterChange.refusal(eventId));
    }
    return new Done(action.done() + " dead letter " + eventId);
  }

  /**
   * Starts replaying or purging every dead letter the filter selects, once the count the operator
   * confirmed is checked; see {@link #job}.
   */
  @PostMapping("/bulk")
  JobView bulk(@RequestBody BulkRequest body, HttpServletRequest request) {
    DeadLetterChange.Action action = DeadLetterChange.Action.named("action", body.action());
    DeadLetterFilter filter = body.chosenFilter();
    Operator operator = authorize(request, action.verb() + " dead letters");
    DeadLetterChange change = deadLetters().select(action, filter);
    if (change.count() == 0) {
      throw new ConsoleException(HttpStatus.NOT_FOUND, "no dead letter matches");
    }
    Integer expected = body.expected();
    if (expected != null) {
      change.confirmed(expected);
    }
    return JobView.of(bulk.start(change, operator));
  }

  @GetMapping("/bulk/{id}")
  JobView job(@PathVariable String id, HttpServletRequest request) {
    auth.requireReader(request);
    return bulk.find(id)
        .map(JobView::of)
        .orElseThrow(() -> new ConsoleException(HttpStatus.NOT_FOUND, "no bulk operation " + id));
  }

  /** An aggregate's events not yet sent, in its order: those held behind its dead letter. */
  @GetMapping("/unsent")
  List<UnsentEventView> unsent(
      @RequestParam String aggregateType,
      @RequestParam String aggregateId,
      HttpServletRequest request) {
    auth.requireReader(request);
    return dispatcher.inspector().unsentEvents(aggregateType, aggregateId, UNSENT_SHOWN).stream()
        .map(UnsentEventView::of)
        .toList();
  }

  /** The body of a replay or purge of one dead letter. */
  record EventId(@Nullable String eventId) {
    String required() {
      if (eventId == null || eventId.isBlank()) {
        throw new IllegalArgumentException("eventId is required");
      }
      return eventId;
    }
  }

  /**
   * The body of a bulk operation: {@code replay} or {@code purge}, the filter, and how many dead
   * letters the operator confirmed; the operation is refused if as many no longer match.
   */
  record BulkRequest(
      @Nullable String action, @Nullable FilterParams filter, @Nullable Integer expected) {
    DeadLetterFilter chosenFilter() {
      return filter == null ? DeadLetterFilter.NONE : filter.filter();
    }
  }

  @ExceptionHandler(ConsoleException.class)
  ResponseEntity<Problem> refused(ConsoleException e, HttpServletRequest request) {
    String message = String.valueOf(e.getMessage());
    if (e.status() == HttpStatus.UNAUTHORIZED
        || e.status() == HttpStatus.FORBIDDEN
        || e.status() == HttpStatus.TOO_MANY_REQUESTS) {
      Refusals.log(request, e.status(), message);
    }
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    Duration retryAfter = e.retryAfter();
    if (retryAfter != null) {
      response.header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter.toSeconds()));
    }
    return response.body(new Problem(message));
  }

  @ExceptionHandler(SelectionChangedException.class)
  ResponseEntity<Problem> selectionChanged(SelectionChangedException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(new Problem(String.valueOf(e.getMessage())));
  }

  @ExceptionHandler({
    IllegalArgumentException.class,
    MissingServletRequestParameterException.class,
    HttpMessageNotReadableException.class
  })
  ResponseEntity<Problem> badRequest(Exception e) {
    String message =
        e instanceof HttpMessageNotReadableException
            ? "the request body is not the JSON expected"
            : String.valueOf(e.getMessage());
    return ResponseEntity.badRequest().body(new Problem(message));
  }

  @ExceptionHandler({OutboxDatabaseException.class, IllegalStateException.class})
  ResponseEntity<Problem> unavailable(RuntimeException e) {
    log.warn("Outbox console request failed: {}", Redaction.describe(e));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(new Problem(Redaction.describe(e)));
  }

  private Operator authorize(HttpServletRequest request, String toDo) {
    CsrfGuard.check(request);
    return new Operator(auth.requireUser(request, toDo), "console", request.getRemoteAddr());
  }

  private DeadLetters deadLetters() {
    return dispatcher.deadLetters();
  }

  private DeadLetter find(String eventId) {
    List<DeadLetter> found =
        deadLetters().list(DeadLetterQuery.builder().eventId(eventId).limit(1).build());
    if (found.isEmpty()) {
      throw notFound(eventId);
    }
    return found.get(0);
  }

  private static ConsoleException notFound(String eventId) {
    return new ConsoleException(HttpStatus.NOT_FOUND, "no dead letter has event id " + eventId);
  }
}
