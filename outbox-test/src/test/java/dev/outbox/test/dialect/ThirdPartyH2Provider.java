package dev.outbox.test.dialect;

import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dialect from outside the library, found on the classpath through {@code META-INF/services}: it
 * serves the H2 databases whose URL names it, with the ANSI base's statements.
 */
public final class ThirdPartyH2Provider implements DialectProvider {

  static final AtomicInteger CREATED = new AtomicInteger();

  @Override
  public boolean supports(DatabaseMetaData metaData) throws SQLException {
    return metaData.getURL().contains("third-party");
  }

  @Override
  public Dialect create(OutboxTables tables) {
    CREATED.incrementAndGet();
    return new Dialect(tables) {
      @Override
      public String name() {
        return "H2 (third-party dialect)";
      }

      @Override
      public String schemaResource() {
        return "dev/outbox/schema/h2.sql";
      }
    };
  }

  @Override
  public String toString() {
    return "ThirdPartyH2Provider";
  }
}
