package dev.outbox.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE}: the relay's configuration, a {@code .properties} or {@code .yaml} file
 * with the Spring Boot starter's property names ({@code spring.datasource.url}, {@code
 * outbox.kafka.bootstrap-servers}, {@code outbox.batch-size}…). Environment variables override it
 * ({@code SPRING_DATASOURCE_URL}, {@code OUTBOX_BATCH_SIZE}…), as do {@code --name=value} arguments
 * of {@code outbox relay}.
 */
final class ConfigOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "configuration file (.properties or .yaml); environment variables override it")
  @Nullable Path file;

  /** Where Spring Boot looks for configuration files when no file is given: an empty place. */
  static final String NO_FILE = "optional:classpath:/dev/outbox/relay/";

  /** Spring Boot's argument that loads the file, checked to be readable, and no other file. */
  List<String> arguments() {
    Path given = file;
    if (given == null) {
      return List.of("--spring.config.location=" + NO_FILE);
    }
    if (!Files.isRegularFile(given) || !Files.isReadable(given)) {
      throw new ParameterException(
          spec.commandLine(), "--config: no readable file " + given.toAbsolutePath());
    }
    return List.of("--spring.config.location=file:" + given.toAbsolutePath().normalize());
  }
}
