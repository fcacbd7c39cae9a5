package dev.outbox.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
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

  /** Spring Boot's loaders of the file, which say what is wrong in it but not where. */
  private static final List<PropertySourceLoader> LOADERS =
      List.of(new PropertiesPropertySourceLoader(), new YamlPropertySourceLoader());

  /**
   * Spring Boot's argument that loads the file, checked to be readable and well-formed, and no
   * other file.
   */
  List<String> arguments() {
    Path given = file;
    if (given == null) {
      return List.of("--spring.config.location=" + NO_FILE);
    }
    Path path = given.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ParameterException(spec.commandLine(), "--config: no readable file " + path);
    }
    String error = error(path);
    if (error != null) {
      throw new ParameterException(spec.commandLine(), "--config: " + path + error);
    }
    return List.of("--spring.config.location=file:" + path);
  }

  /** What Spring Boot will find wrong in the file, and on which line, or {@code null}. */
  private static @Nullable String error(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    PropertySourceLoader loader =
        LOADERS.stream()
            .filter(l -> Arrays.stream(l.getFileExtensions()).anyMatch(e -> name.endsWith("." + e)))
            .findFirst()
            .orElse(null);
    if (loader == null) {
      return ": not a .properties or .yaml file";
    }
    try {
      loader.load(name, new FileSystemResource(path));
      return null;
    } catch (IOException | RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof MarkedYAMLException yaml) {
          return yamlError(yaml);
        }
      }
      String message = String.valueOf(e.getMessage());
      int line = name.endsWith(".properties") ? firstBadLine(loader, path) : 0;
      return (line > 0 ? " line " + line : "") + ": " + message;
    }
  }

  /** {@code line 4, column 4: expected <block end>… (while parsing a block mapping at line 2)}. */
  private static String yamlError(MarkedYAMLException e) {
    Mark problem = e.getProblemMark();
    Mark context = e.getContextMark();
    return (problem == null
            ? ""
            : " line " + (problem.getLine() + 1) + ", column " + (problem.getColumn() + 1))
        + ": "
        + String.valueOf(e.getProblem())
        + (e.getContext() == null
            ? ""
            : " ("
                + e.getContext()
                + (context == null ? "" : " at line " + (context.getLine() + 1))
                + ")");
  }

  /**
   * The line that a {@code .properties} file stops loading at: the last of its shortest beginning
   * that fails, or 0. Spring Boot's loader counts lines but does not say them.
   */
  private static int firstBadLine(PropertySourceLoader loader, Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int line = 0;
    for (int end = 0; end < bytes.length; ) {
      int next = end;
      while (next < bytes.length && bytes[next] != '\n') {
        next++;
      }
      end = Math.min(next + 1, bytes.length);
      line++;
      Resource beginning = new ByteArrayResource(Arrays.copyOf(bytes, end));
      try {
        loader.load("beginning", beginning);
      } catch (IOException | RuntimeException e) {
        return line;
      }
    }
    return 0;
  }
}
