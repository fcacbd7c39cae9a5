package dev.outbox.embedded;

/**
 * Starts a PostgreSQL server, says where, and waits to be killed: the JVM an IDE's stop button or a
 * SIGKILL ends without closing anything.
 */
public final class AbandonedPostgres {

  private AbandonedPostgres() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
    System.out.println("STARTED " + postgres.port() + " " + postgres.directory);
    System.out.flush();
    Thread.currentThread().join(); // until the test kills this JVM
  }
}
