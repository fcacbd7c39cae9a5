package dev.outbox.console.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Where the web server listens, as {@code server.address} says: the console's defaults and its
 * start-up check depend on whether anyone but this machine can reach it. Spring Boot listens on
 * every interface when the setting is absent.
 */
public final class ListenAddress {

  public static final String PROPERTY = "server.address";

  private final @Nullable String configured;
  private final @Nullable InetAddress address;

  private ListenAddress(@Nullable String configured, @Nullable InetAddress address) {
    this.configured = configured;
    this.address = address;
  }

  /**
   * The address named by {@code server.address}, resolved as the web server resolves it; a name
   * that does not resolve counts as reachable from elsewhere, as it cannot be shown not to be.
   */
  public static ListenAddress of(@Nullable String serverAddress) {
    if (serverAddress == null || serverAddress.isBlank()) {
      return new ListenAddress(null, null);
    }
    String configured = serverAddress.strip();
    try {
      return new ListenAddress(configured, InetAddress.getByName(configured));
    } catch (UnknownHostException e) {
      return new ListenAddress(configured, null);
    }
  }

  /** Whether only this machine can reach it: a loopback address such as 127.0.0.1 or ::1. */
  public boolean loopback() {
    return address != null && address.isLoopbackAddress();
  }

  /** {@code server.address} as configured, or {@code null} when it is not set. */
  public @Nullable String configured() {
    return configured;
  }

  /** The address it resolved to; {@code null} for every interface or a name that did not. */
  public @Nullable InetAddress address() {
    return address;
  }

  /** For an operator: {@code 127.0.0.1}, or {@code every interface (server.address not set)}. */
  public String describe() {
    if (configured == null) {
      return "every interface (" + PROPERTY + " is not set)";
    }
    if (address != null && address.isAnyLocalAddress()) {
      return configured + " (every interface)";
    }
    return configured;
  }
}
