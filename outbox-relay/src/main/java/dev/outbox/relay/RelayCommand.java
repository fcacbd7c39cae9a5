package dev.outbox.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code outbox relay}: runs the relay until SIGTERM or Ctrl+C. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the relay: publishes every committed outbox event to Kafka until stopped (SIGTERM,"
          + " Ctrl+C), finishing the batch in hand.",
      "Health: /actuator/health/liveness and /readiness; metrics: /actuator/prometheus.",
      "Settings may also be given as --name=value, e.g. --outbox.batch-size=500."
    })
final class RelayCommand implements Callable<Integer> {

  private static final Pattern SETTING = Pattern.compile("--[a-z][a-z0-9._\\[\\]-]*=.*");

  private static volatile boolean ran;

  @Mixin ConfigOption config = new ConfigOption();

  @Spec CommandSpec spec;

  /** Spring Boot's own form of a setting, which it takes over the file and the environment. */
  @Unmatched List<String> settings = new ArrayList<>();

  /** Whether this JVM runs the relay: it then ends when the relay stops, not when main returns. */
  static boolean ran() {
    return ran;
  }

  @Override
  public Integer call() {
    for (String setting : settings) {
      if (!SETTING.matcher(setting).matches()) {
        throw new ParameterException(
            spec.commandLine(),
            "'" + setting + "' is neither an option nor a setting (--name=value)");
      }
    }
    List<String> arguments = new ArrayList<>(config.arguments());
    arguments.addAll(settings);
    boolean debug = ((OutboxCli) spec.root().userObject()).debug;
    RelayApplication.start(
        Map.of(), debug ? null : new StartLog(), arguments.toArray(String[]::new));
    // The relay runs on the web server's threads until SIGTERM or Ctrl+C, when Spring Boot's
    // shutdown hook stops it. main must then not call System.exit: that would block inside the
    // shutdown hooks, or cut the relay short.
    ran = true;
    return OutboxCli.OK;
  }
}
