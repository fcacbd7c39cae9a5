package dev.outbox.peers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/** How every peer writes its backlog and tells when it has drained, alike for all. */
public final class PeerDrain {

  /** Events per writing transaction. */
  public static final int WRITE_TRANSACTION = 1_000;

  /** How long a paced run waits for the relay to finish its events once they are written. */
  public static final Duration PACED_FINISH = Duration.ofMinutes(2);

  /** How often the table is asked whether the drain is done. */
  public static final Duration DONE_POLL = Duration.ofMillis(50);

  private PeerDrain() {}

  /** Waits until {@code anyLeft}, a query for one row still to do, finds none. */
  public static void awaitNone(DataSource dataSource, String anyLeft)
      throws SQLException, InterruptedException {
    while (anyRow(dataSource, anyLeft)) {
      Thread.sleep(DONE_POLL.toMillis());
    }
  }

  /**
   * After a paced run's writes: waits until {@code anyLeft} finds no row, at most {@link
   * #PACED_FINISH}, and says so on standard output if the relay had not finished by then (the
   * harness counts the events it finds missing).
   */
  public static void awaitPacedFinish(DataSource dataSource, String anyLeft)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + PACED_FINISH.toNanos();
    while (anyRow(dataSource, anyLeft)) {
      if (System.nanoTime() > deadline) {
        System.out.println(
            "peer: the relay had not finished " + PACED_FINISH + " after the paced writes");
        return;
      }
      Thread.sleep(DONE_POLL.toMillis());
    }
  }

  private static boolean anyRow(DataSource dataSource, String query) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return rs.next();
    }
  }
}
