package dev.outbox.internal;

import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/** Names worker threads after the dispatcher and the worker, so thread dumps explain themselves. */
public final class NamedThreads implements ThreadFactory {

  private final String name;
  private final @Nullable ThreadFactory delegate;

  public NamedThreads(String name, @Nullable ThreadFactory delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  @Override
  public Thread newThread(Runnable runnable) {
    Thread thread = delegate != null ? delegate.newThread(runnable) : new Thread(runnable);
    thread.setName(name);
    if (delegate == null) {
      thread.setDaemon(false);
    }
    return thread;
  }
}
