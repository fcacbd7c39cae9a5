/**
 * The outbox: the API in {@code dev.outbox} and the extension points in {@code dev.outbox.spi}. The
 * engine ({@code dev.outbox.internal}) is not exported; only the test kit's contract suite, which
 * drives the engine's parts one by one on a user's database, may read it.
 */
module dev.outbox {
  requires transitive java.sql;
  requires java.management;
  requires transitive org.slf4j;
  requires static transitive org.jspecify;

  exports dev.outbox;
  exports dev.outbox.spi;

  uses dev.outbox.spi.DialectProvider;

  exports dev.outbox.internal to
      dev.outbox.test;
}
