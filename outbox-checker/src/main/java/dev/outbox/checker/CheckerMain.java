package dev.outbox.checker;

import java.util.List;

/**
 * The delivery checker's command line: runs one configuration on one engine, prints progress and
 * then the {@code checker:} line, and exits with 1 when an event was lost, a rolled-back event was
 * delivered, an aggregate was reordered or a duplicate has no fault to explain it (2 for bad
 * options).
 */
public final class CheckerMain {

  private CheckerMain() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(CheckerOptions.USAGE);
      return;
    }
    CheckerOptions options;
    try {
      options = CheckerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Verdict verdict = new Checker(options, System.out).run();
    verdict.examples().forEach(example -> System.out.println("checker: " + example));
    if (verdict.unexplainedDuplicates() > 0) {
      System.out.println(
          "checker: " + verdict.unexplainedDuplicates() + " duplicates no fault explains");
    }
    if (verdict.undrained() > 0) {
      System.out.println(
          "checker: " + verdict.undrained() + " events were neither sent nor replayed at the end");
    }
    System.out.println(verdict.line());
    System.exit(verdict.passed() ? 0 : 1);
  }
}
