package dev.outbox.test;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that refuses connections on demand: all of them while {@link #down(boolean)}, or
 * the next few asked for by threads whose name starts with a given prefix (one worker of the
 * dispatcher, say). It also counts the connections asked for by one worker, to see it at work, and
 * can cut the connections a worker holds, as a network failure would.
 */
public final class FlakyDataSource implements DataSource {

  private final DataSource delegate;
  private volatile boolean down;
  private volatile String failingThreads = "";
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile String countedThreads = "";
  private final AtomicInteger counted = new AtomicInteger();
  private volatile String trackedThreads = "";
  private final List<Connection> tracked = new CopyOnWriteArrayList<>();

  public FlakyDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  public void down(boolean down) {
    this.down = down;
  }

  /** Refuses the next {@code count} connections asked for by threads named {@code prefix}…. */
  public void failNext(int count, String threadNamePrefix) {
    failingThreads = threadNamePrefix;
    failuresLeft.set(count);
  }

  /** How many of the connections {@link #failNext} asked to refuse are still to be refused. */
  public int failuresLeft() {
    return failuresLeft.get();
  }

  /** From now on counts the connections asked for by threads named {@code prefix}…. */
  public void countConnectionsOf(String threadNamePrefix) {
    countedThreads = threadNamePrefix;
    counted.set(0);
  }

  /** How many connections the threads given to {@link #countConnectionsOf} have asked for. */
  public int countedConnections() {
    return counted.get();
  }

  /** From now on keeps the connections threads named {@code prefix}… hold, to cut them. */
  public void trackConnectionsOf(String threadNamePrefix) {
    trackedThreads = threadNamePrefix;
  }

  /**
   * Cuts every connection the tracked threads hold, as a network failure would: the database ends a
   * transaction open on one, and its holder's next statement fails. A pooled connection is cut
   * underneath the pool, which finds it broken.
   */
  public void cutTrackedConnections() {
    for (Connection connection : tracked) {
      try {
        connection.abort(Runnable::run);
      } catch (SQLException e) {
        // Closed already: nothing left to cut.
      }
    }
    tracked.clear();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (!countedThreads.isEmpty() && Thread.currentThread().getName().startsWith(countedThreads)) {
      counted.incrementAndGet();
    }
    if (down) {
      throw new SQLException("database is down (test)", "08006");
    }
    if (!failingThreads.isEmpty()
        && Thread.currentThread().getName().startsWith(failingThreads)
        && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SQLException("connection refused (test)", "08001");
    }
    Connection connection = delegate.getConnection();
    if (trackedThreads.isEmpty() || !Thread.currentThread().getName().startsWith(trackedThreads)) {
      return connection;
    }
    // Only connections in use are cut: one given back may next serve the test itself.
    Connection physical =
        connection.isWrapperFor(Connection.class)
            ? connection.unwrap(Connection.class)
            : connection;
    tracked.add(physical);
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                tracked.remove(physical);
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
