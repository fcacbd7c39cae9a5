package dev.outbox.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The one line a peer program prints for the harness, on standard output:
 *
 * <pre>
 * peer: name=gruelbox version=7.0.1 events=200000 drain_eps=1234 settings="batch=100;threads=4"
 * </pre>
 */
public final class PeerReport {

  private PeerReport() {}

  /**
   * Prints and returns the drain line.
   *
   * @param nanos from the start of the peer's relay to the broker's acknowledgement of the last
   *     event
   */
  public static String drain(
      String name, String version, int events, long nanos, Map<String, String> settings) {
    String line =
        String.format(
            Locale.ROOT,
            "peer: name=%s version=%s events=%d drain_eps=%.0f settings=\"%s\"",
            name,
            version,
            events,
            events / (nanos / 1e9),
            joined(settings));
    System.out.println(line);
    return line;
  }

  /**
   * Prints and returns the line of a paced run ({@link PacedWrites}):
   *
   * <pre>
   * peer-paced: name=gruelbox version=7.0.1 events=35000 settings="…"
   * </pre>
   *
   * @param settings how the relay ran where it differs from the drain's, or nothing
   */
  public static String paced(
      String name, String version, int events, Map<String, String> settings) {
    String line =
        String.format(
            Locale.ROOT,
            "peer-paced: name=%s version=%s events=%d settings=\"%s\"",
            name,
            version,
            events,
            joined(settings));
    System.out.println(line);
    return line;
  }

  private static String joined(Map<String, String> settings) {
    return settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(";"));
  }

  /**
   * The peer library's version, as the peer's build wrote it (a filtered properties file) under
   * {@code key} into {@code resource}, found as {@code peer.getResourceAsStream} finds it.
   */
  public static String version(Class<?> peer, String resource, String key) {
    Properties properties = new Properties();
    try (InputStream in = peer.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty(key);
    if (version == null) {
      throw new IllegalStateException(resource + " has no " + key);
    }
    return version;
  }
}
