package dev.outbox;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A replay or a purge of dead letters, chosen by their event ids or by a filter: the one bulk
 * operation behind the actuator endpoint, the console, the command line and {@link
 * DeadLetters#replay(DeadLetterQuery)}. Get one from {@link DeadLetters#select}.
 *
 * <p>The dead letters it acts on are fixed when it is made: {@link #count()} is what an operator is
 * asked to confirm, and {@link #confirmed(int)} refuses a count that is not that one before
 * anything is done. It then acts on one dead letter at a time, each in its own transaction. A dead
 * letter gone meanwhile is counted and passed; one whose replay finds its event id in the outbox
 * again is counted as refused and passed; any other failure (the database's) stops the run, since
 * the rest would fail the same way, one connection timeout each. Each change that selected a dead
 * letter is in the {@link AuditTrail}: its start, when it was chosen by a filter, and its end with
 * its counts.
 */
public final class DeadLetterChange {

  /** What is done to each dead letter. */
  public enum Action {
    /** Put back into the outbox, due at once, with a fresh set of attempts. */
    REPLAY("replay", "replayed"),
    /** Deleted for good. */
    PURGE("purge", "purged");

    private final String verb;
    private final String done;

    Action(String verb, String done) {
      this.verb = verb;
      this.done = done;
    }

    /** {@return the action as a command: {@code replay}, {@code purge}} */
    public String verb() {
      return verb;
    }

    /** {@return the action done: {@code replayed}, {@code purged}} */
    public String done() {
      return done;
    }

    /**
     * The action a surface's text names ({@code replay}, {@code purge}, any case), or an {@link
     * IllegalArgumentException} naming {@code field}.
     *
     * @param field the option or field that carried the text, named in the error
     * @param name the text; {@code null} is refused
     * @return the action
     * @throws IllegalArgumentException if the text names neither
     */
    public static Action named(String field, @Nullable String name) {
      for (Action action : values()) {
        if (action.verb.equalsIgnoreCase(String.valueOf(name).strip())) {
          return action;
        }
      }
      throw new IllegalArgumentException(
          field + " must be replay or purge, was '" + (name == null ? "" : name) + "'");
    }
  }

  /** What became of one dead letter. */
  public enum Outcome {
    /** Replayed or purged. */
    DONE,
    /** Not there any more: replayed or purged by someone else meanwhile. */
    GONE,
    /** Its replay was refused: the outbox holds an event with its id again. */
    REFUSED
  }

  /** Told of each dead letter as it is acted on, on the thread that runs the change. */
  @FunctionalInterface
  public interface Listener {

    /** A listener that ignores everything. */
    Listener NONE = (eventId, outcome, problem) -> {};

    /**
     * One dead letter was acted on.
     *
     * @param problem why it was refused, for {@link Outcome#REFUSED}; {@code null} otherwise
     * @param eventId the dead letter's event id
     * @param outcome what came of it
     */
    void acted(String eventId, Outcome outcome, @Nullable String problem);
  }

  /**
   * How a change ended.
   *
   * @param action what it did
   * @param selection how the dead letters were chosen, as {@link DeadLetterChange#selection()}
   * @param total the dead letters it was to act on
   * @param done how many were replayed or purged
   * @param gone how many were no longer there
   * @param refused how many replays were refused, their event id being in the outbox again
   * @param failure what stopped it before the end, or {@code null} if it went through
   */
  public record Result(
      Action action,
      String selection,
      int total,
      int done,
      int gone,
      int refused,
      @Nullable RuntimeException failure) {

    /**
     * One line for an operator, masked: {@code replayed 2 of 3 dead letter(s) matching
     * error=timeout: 1 already gone}.
     *
     * @return the line, with credentials in the failure masked
     */
    public String describe() {
      StringBuilder line =
          new StringBuilder()
              .append(action.done())
              .append(' ')
              .append(done)
              .append(" of ")
              .append(total)
              .append(" dead letter(s) ")
              .append(selection);
      String separator = ": ";
      if (gone > 0) {
        line.append(separator).append(gone).append(" already gone");
        separator = ", ";
      }
      if (refused > 0) {
        line.append(separator)
            .append(refused)
            .append(" refused (their event ids are in the outbox")
            .append(" again)");
        separator = ", ";
      }
      if (failure != null) {
        line.append(separator).append("stopped by a failure: ").append(Redaction.describe(failure));
      }
      return line.toString();
    }
  }

  private final DeadLetters deadLetters;
  private final Action action;
  private final List<String> eventIds;
  private final String selection;
  private final boolean byFilter;

  DeadLetterChange(
      DeadLetters deadLetters,
      Action action,
      List<String> eventIds,
      String selection,
      boolean byFilter) {
    this.deadLetters = deadLetters;
    this.action = action;
    this.eventIds = List.copyOf(eventIds);
    this.selection = selection;
    this.byFilter = byFilter;
  }

  /** {@return what it does to each dead letter} */
  public Action action() {
    return action;
  }

  /**
   * {@return the event ids of the dead letters it acts on, oldest first when chosen by a filter}
   */
  public List<String> eventIds() {
    return eventIds;
  }

  /** {@return how many dead letters it acts on: what an operator confirms} */
  public int count() {
    return eventIds.size();
  }

  /** {@return how they were chosen: {@code matching error=timeout}, {@code with event id e-1}} */
  public String selection() {
    return selection;
  }

  /** {@return what it is to do: {@code purge 2 dead letter(s) matching error=timeout}} */
  public String describe() {
    return action.verb() + " " + count() + " dead letter(s) " + selection;
  }

  /**
   * Checks that an operator confirmed as many dead letters as it acts on, before it runs: {@code
   * change.confirmed(count).run(operator, listener)}.
   *
   * @throws SelectionChangedException if as many no longer match; nothing was done
   * @param count how many dead letters the operator was shown and confirmed
   * @return this change
   */
  public DeadLetterChange confirmed(int count) {
    if (count != count()) {
      throw new SelectionChangedException(
          count()
              + " dead letter(s) match now, not the "
              + count
              + " confirmed; nothing was done: look again and confirm anew");
    }
    return this;
  }

  /**
   * Runs it: each dead letter in turn, stopping at a failure of the database; see above.
   *
   * @param operator who runs it, for the audit trail
   * @param listener told of each dead letter as it is done, on this thread
   * @return how it ended
   */
  public Result run(Operator operator, Listener listener) {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(listener, "listener");
    // Nothing selected is no change: a tool that replays what is left in a loop logs nothing.
    boolean audited = count() > 0;
    if (byFilter && audited) {
      AuditTrail.started(operator, this);
    }
    int done = 0;
    int gone = 0;
    int refused = 0;
    RuntimeException failure = null;
    for (String eventId : eventIds) {
      if (Thread.currentThread().isInterrupted()) {
        failure = new OutboxException("interrupted: the process is stopping");
        break;
      }
      Outcome outcome;
      String problem = null;
      try {
        outcome = apply(eventId) ? Outcome.DONE : Outcome.GONE;
      } catch (DuplicateEventException e) {
        outcome = Outcome.REFUSED;
        problem = refusal(eventId);
      } catch (RuntimeException e) {
        failure = e;
        break;
      }
      switch (outcome) {
        case DONE -> done++;
        case GONE -> gone++;
        case REFUSED -> refused++;
      }
      listener.acted(eventId, outcome, problem);
    }
    Result result = new Result(action, selection, count(), done, gone, refused, failure);
    if (audited) {
      AuditTrail.finished(operator, result);
    }
    return result;
  }

  /** Runs it for the application's own code: its count, or its failure thrown. */
  int runAll() {
    Result result = run(Operator.APPLICATION, Listener.NONE);
    if (result.failure() != null) {
      throw result.failure();
    }
    return result.done();
  }

  /**
   * Why the replay of this dead letter is refused: what each surface says of an {@link
   * Outcome#REFUSED} one.
   *
   * @param eventId the dead letter's event id
   * @return the reason, with what to do instead
   */
  public static String refusal(String eventId) {
    return "the outbox holds an event with id "
        + eventId
        + " again, so its dead letter cannot go back: purge the dead letter instead";
  }

  private boolean apply(String eventId) {
    return action == Action.REPLAY ? deadLetters.replay(eventId) : deadLetters.purge(eventId);
  }

  /** {@code with event id e-1}, {@code with event ids e-1, e-2, … (5)}. */
  static String named(List<String> eventIds) {
    if (eventIds.size() == 1) {
      return "with event id " + eventIds.get(0);
    }
    String shown = String.join(", ", eventIds.subList(0, Math.min(3, eventIds.size())));
    return "with event ids " + shown + (eventIds.size() > 3 ? ", … (" + eventIds.size() + ")" : "");
  }

  @Override
  public String toString() {
    return "DeadLetterChange[" + describe() + "]";
  }
}
