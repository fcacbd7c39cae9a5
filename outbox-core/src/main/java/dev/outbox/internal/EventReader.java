package dev.outbox.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads an event row in {@link Dialect#EVENT_COLUMNS} order. */
@FunctionalInterface
interface EventReader {
  ClaimedEvent read(ResultSet rs) throws SQLException;
}
