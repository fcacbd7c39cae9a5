package dev.outbox.console;

import dev.outbox.console.internal.ListenAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The host names the console answers to: its defence against DNS rebinding. A page of another site
 * whose name the attacker then points at this machine is, for the browser, of the same origin as
 * the console, so neither the browser's cross-origin rules nor {@link CsrfGuard} stop it; only the
 * name it still sends in {@code Host} gives it away. As Jupyter and Vite do, the console answers to
 * {@code localhost}, loopback addresses, the address it listens on (the one a request came in on,
 * which covers every interface's when it listens on all), and the names of {@value #PROPERTY}.
 *
 * <p>Addresses are compared as addresses, parsed without asking DNS: a rebinding page cannot send
 * an address as its host, since its origin is a name. Names are compared as sent, ignoring case.
 */
final class HostCheck {

  static final String PROPERTY = "outbox.console.allowed-hosts";

  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern PORT = Pattern.compile(":\\d{1,5}");
  // What InetAddress parses as an IPv6 literal without a lookup: it asks DNS for "[name]".
  private static final Pattern IPV6 =
      Pattern.compile("\\[[0-9a-f.]*:[0-9a-f:.]*(%[0-9a-z_.-]+)?\\]");

  private final boolean anyHost;
  private final Set<String> names;
  private final List<String> domains;
  private final Set<InetAddress> addresses;

  private HostCheck(
      boolean anyHost, Set<String> names, List<String> domains, Set<InetAddress> addresses) {
    this.anyHost = anyHost;
    this.names = names;
    this.domains = domains;
    this.addresses = addresses;
  }

  /**
   * @param allowedHosts {@value #PROPERTY}: names such as {@code ops.example.com}, addresses,
   *     {@code .example.com} for that domain and every name below it, or {@code *} for any host
   * @param listening where the server listens, whose name (if {@code server.address} is one) is
   *     answered to as well
   */
  static HostCheck of(List<String> allowedHosts, ListenAddress listening) {
    boolean anyHost = false;
    Set<String> names = new HashSet<>();
    names.add("localhost");
    List<String> domains = new ArrayList<>();
    Set<InetAddress> addresses = new HashSet<>();
    InetAddress bound = listening.address();
    String configured = listening.configured();
    if (bound != null && !bound.isAnyLocalAddress() && configured != null) {
      // server.address as written (a name, perhaps) and the address it resolved to.
      addresses.add(bound);
      add(configured, names, addresses);
    }
    for (String entry : allowedHosts) {
      String host = entry.strip().toLowerCase(Locale.ROOT);
      if (host.equals("*")) {
        anyHost = true;
      } else if (host.startsWith(".") && NAME.matcher(host.substring(1)).matches()) {
        domains.add(host);
      } else if (!add(host, names, addresses)) {
        throw new IllegalArgumentException(
            PROPERTY
                + " takes host names without scheme or port (ops.example.com), addresses,"
                + " .example.com for a domain, or *; was '"
                + entry
                + "'");
      }
    }
    return new HostCheck(anyHost, Set.copyOf(names), List.copyOf(domains), Set.copyOf(addresses));
  }

  private static boolean add(String host, Set<String> names, Set<InetAddress> addresses) {
    String lower = host.toLowerCase(Locale.ROOT);
    InetAddress address =
        address(lower.contains(":") && !lower.startsWith("[") ? "[" + lower + "]" : lower);
    if (address != null) {
      addresses.add(address);
      return true;
    }
    if (NAME.matcher(lower).matches()) {
      names.add(lower);
      return true;
    }
    return false;
  }

  /**
   * Why a request is refused, or {@code null} if the console answers it.
   *
   * @param hostHeader the {@code Host} the client sent
   * @param serverName the host the server takes itself to be for this request: the same as {@code
   *     Host}, or a proxy's {@code X-Forwarded-Host} when {@code server.forward-headers-strategy}
   *     honours it; {@link CsrfGuard} accepts an origin of either, so both must be answered to
   * @param localAddress the address the request came in on
   */
  @Nullable String refusal(
      @Nullable String hostHeader, @Nullable String serverName, @Nullable String localAddress) {
    if (anyHost) {
      return null;
    }
    if (hostHeader == null || hostHeader.isBlank()) {
      return "the request names no host (no Host header)";
    }
    InetAddress local = localAddress == null ? null : address(bracketed(localAddress));
    String why = refusal(hostHeader, local);
    if (why == null && serverName != null) {
      why = refusal(bracketed(serverName), local);
    }
    return why;
  }

  private @Nullable String refusal(String authority, @Nullable InetAddress local) {
    String host = host(authority);
    if (host == null) {
      return "its Host is not a host name";
    }
    return answersTo(host, local)
        ? null
        : "the console does not answer to the host "
            + host
            + " (its defence against DNS rebinding); if that name is the console's, add it to "
            + PROPERTY;
  }

  private boolean answersTo(String host, @Nullable InetAddress local) {
    InetAddress address = address(host);
    if (address != null) {
      return address.isLoopbackAddress() || address.equals(local) || addresses.contains(address);
    }
    if (names.contains(host)) {
      return true;
    }
    for (String domain : domains) {
      if (host.endsWith(domain) || host.equals(domain.substring(1))) {
        return true;
      }
    }
    return false;
  }

  /** The host of {@code host[:port]} or {@code [v6][:port]}, in lower case; null if malformed. */
  static @Nullable String host(String authority) {
    String value = authority.strip().toLowerCase(Locale.ROOT);
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      if (end < 0) {
        return null;
      }
      String rest = value.substring(end + 1);
      return rest.isEmpty() || PORT.matcher(rest).matches() ? value.substring(0, end + 1) : null;
    }
    int colon = value.indexOf(':');
    String host = colon < 0 ? value : value.substring(0, colon);
    if (colon >= 0 && !PORT.matcher(value.substring(colon)).matches()) {
      return null;
    }
    return NAME.matcher(host).matches() ? host : null;
  }

  /** An IPv6 address as a Host names it, in brackets; anything else as it is. */
  private static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The address written as {@code 1.2.3.4} or {@code [v6]}; null for a name. Never asks DNS: a name
   * is never resolved here.
   */
  private static @Nullable InetAddress address(String host) {
    if (host.startsWith("[")) {
      if (!IPV6.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
        return null;
      }
      try {
        // Hex digits, dots and a colon: InetAddress parses them or fails, without a lookup.
        return InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    Matcher ipv4 = IPV4.matcher(host);
    if (!ipv4.matches()) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int part = Integer.parseInt(ipv4.group(i + 1));
      if (part > 255) {
        return null;
      }
      bytes[i] = (byte) part;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }
}
