package dev.outbox.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's settings, {@code outbox.console.*}. Off unless {@code outbox.console.enabled=true}
 * (the relay turns it on). Everything needs the token or the user name and password set here, or a
 * user the application's own security signed in; with {@code anonymous-read} (the relay's default
 * when it listens on a loopback address) reading needs none, but replaying and purging dead
 * letters, and seeing their payloads and headers, still do.
 */
@ConfigurationProperties("outbox.console")
public class ConsoleProperties {

  // The configuration processor takes each property's description from its field's javadoc, as
  // plain text: no javadoc tags there.

  /** Whether the console is served. */
  private boolean enabled;

  /**
   * Where the console is served, below the application's context path: segments of letters, digits
   * and . _ ~ -, each after a '/', such as /ops/outbox.
   */
  private String path = "/outbox";

  /**
   * A bearer token (16 characters or more) that signs in as user "token", sent as "Authorization:
   * Bearer …".
   */
  private @Nullable String token;

  /** A user name for basic authentication, with password. */
  private @Nullable String username;

  /** The password (8 characters or more) of username. */
  private @Nullable String password;

  /**
   * How often the backlog, leases and held aggregates are read for the page and its charts; at
   * least 100ms.
   */
  private Duration sampleInterval = Duration.ofSeconds(2);

  /**
   * How far back the charts go; at least sample-interval, and the charts keep 10,000 samples at
   * most.
   */
  private Duration history = Duration.ofMinutes(10);

  /**
   * Host names the console answers to besides localhost, loopback addresses and the address it
   * listens on: the names of its address in the browser, such as ops.example.com, or a proxy's.
   * .example.com stands for that domain and every name below it; * for any name, which turns the
   * check off. A request for any other host is refused with 403, as a defence against DNS
   * rebinding.
   */
  private List<String> allowedHosts = new ArrayList<>();

  /**
   * Whether the backlog, the workers and the dead letters (their ids, types, aggregates and errors)
   * may be read without signing in. Off by default; the relay turns it on when it listens on a
   * loopback address only. Replaying, purging, and seeing payloads and headers always need a user.
   */
  private boolean anonymousRead;

  /**
   * Whether a console that other machines can reach (server.address not a loopback address, or not
   * set) refuses to start without its own credentials: token, or username and password. Set it to
   * false only when something else guards the console: the application's own security signs in its
   * users, or nothing else can reach the address (a container's port published on its host's
   * loopback only).
   */
  private boolean requireCredentials = true;

  /**
   * Failed sign-ins in a row from one client address before it must wait: its next attempts are
   * answered 429 with Retry-After, without their credentials being checked, until
   * failed-sign-in-pause gives it one more try. A successful sign-in gives every try back.
   */
  private int maxFailedSignIns = 5;

  /** How long a client address that has used up max-failed-sign-ins waits for each further try. */
  private Duration failedSignInPause = Duration.ofSeconds(12);

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public @Nullable String getToken() {
    return token;
  }

  /** A blank token (an empty environment variable, say) is no token. */
  public void setToken(@Nullable String token) {
    this.token = token == null || token.isBlank() ? null : token;
  }

  public @Nullable String getUsername() {
    return username;
  }

  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  public @Nullable String getPassword() {
    return password;
  }

  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  public Duration getSampleInterval() {
    return sampleInterval;
  }

  public void setSampleInterval(Duration sampleInterval) {
    this.sampleInterval = sampleInterval;
  }

  public Duration getHistory() {
    return history;
  }

  public void setHistory(Duration history) {
    this.history = history;
  }

  public List<String> getAllowedHosts() {
    return allowedHosts;
  }

  public void setAllowedHosts(List<String> allowedHosts) {
    this.allowedHosts = allowedHosts;
  }

  public boolean isAnonymousRead() {
    return anonymousRead;
  }

  public void setAnonymousRead(boolean anonymousRead) {
    this.anonymousRead = anonymousRead;
  }

  public int getMaxFailedSignIns() {
    return maxFailedSignIns;
  }

  public void setMaxFailedSignIns(int maxFailedSignIns) {
    this.maxFailedSignIns = maxFailedSignIns;
  }

  public Duration getFailedSignInPause() {
    return failedSignInPause;
  }

  public void setFailedSignInPause(Duration failedSignInPause) {
    this.failedSignInPause = failedSignInPause;
  }

  public boolean isRequireCredentials() {
    return requireCredentials;
  }

  public void setRequireCredentials(boolean requireCredentials) {
    this.requireCredentials = requireCredentials;
  }
}
