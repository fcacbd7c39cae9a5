package dev.outbox.relay;

import java.io.PrintWriter;

/**
 * A progress bar for a bulk operation, on the error stream so that the output stays the result:
 * {@code replay [##########----------] 512/1024}, redrawn in place at each whole per cent.
 */
final class Progress {

  private static final int WIDTH = 20;

  private final PrintWriter err;
  private final String verb;
  private final int total;
  private int done;
  private int shownPercent = -1;
  private boolean drawn;

  Progress(PrintWriter err, String verb, int total) {
    this.err = err;
    this.verb = verb;
    this.total = total;
  }

  void step() {
    done++;
    int percent = total == 0 ? 100 : (int) (100L * done / total);
    if (total > 1 && percent != shownPercent) {
      shownPercent = percent;
      int filled = percent * WIDTH / 100;
      err.print(
          "\r"
              + verb
              + " ["
              + "#".repeat(filled)
              + "-".repeat(WIDTH - filled)
              + "] "
              + done
              + "/"
              + total);
      err.flush();
      drawn = true;
    }
  }

  /** Ends the bar's line before a message of its own. */
  void interrupt() {
    if (drawn) {
      err.println();
      drawn = false;
      shownPercent = -1;
    }
  }

  void finish() {
    interrupt();
  }
}
