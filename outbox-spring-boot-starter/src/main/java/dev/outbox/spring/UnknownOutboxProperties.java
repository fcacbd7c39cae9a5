package dev.outbox.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Finds {@code outbox.*} properties that no outbox module on the class path knows: a misspelt name
 * ({@code outbox.batch-sise}) is otherwise ignored without a word, and its default silently
 * applies. The names known are those of the configuration metadata the outbox modules ship ({@code
 * META-INF/spring-configuration-metadata.json}); a property of a map ({@code
 * outbox.kafka.properties.*}) or list takes any key below it.
 *
 * <p>Looked for in the application's configuration files, its command line and other property
 * sources, not in the JVM's system properties nor the environment variables: an environment
 * variable's name does not say where its dashes were ({@code OUTBOX_BATCHSIZE}), and both are also
 * set by tools that are not the application's configuration.
 */
final class UnknownOutboxProperties {

  private static final String METADATA = "META-INF/spring-configuration-metadata.json";
  private static final String PREFIX = "outbox.";
  private static final Set<String> SYSTEM_SOURCES =
      Set.of(
          StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
          StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);

  /** A property nobody knows, where it was set, and the known one it most resembles. */
  record Unknown(String name, @Nullable String origin, @Nullable String suggestion) {}

  private final Set<String> known;
  private final Set<String> containers;

  private UnknownOutboxProperties(Set<String> known, Set<String> containers) {
    this.known = known;
    this.containers = containers;
  }

  /** The names the outbox modules on this class loader document. */
  static UnknownOutboxProperties fromMetadata(ClassLoader classLoader) {
    Set<String> known = new HashSet<>();
    Set<String> containers = new HashSet<>();
    try {
      for (URL url : Collections.list(classLoader.getResources(METADATA))) {
        try (InputStream in = url.openStream()) {
          Map<String, Object> metadata =
              JsonParserFactory.getJsonParser()
                  .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          if (metadata.get("properties") instanceof List<?> properties) {
            for (Object property : properties) {
              if (property instanceof Map<?, ?> entry
                  && entry.get("name") instanceof String name
                  && name.startsWith(PREFIX)) {
                known.add(name);
                if (entry.get("type") instanceof String type
                    && (type.startsWith("java.util.Map") || type.startsWith("java.util.List"))) {
                  containers.add(name);
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + METADATA, e);
    }
    return new UnknownOutboxProperties(known, containers);
  }

  /** The {@code outbox.*} properties of the environment that no module knows, by name. */
  List<Unknown> find(ConfigurableEnvironment environment) {
    List<Unknown> unknown = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource iterable)
          || isSystemSource(source)) {
        continue;
      }
      iterable.stream()
          .filter(name -> name.toString().startsWith(PREFIX))
          .filter(name -> !isKnown(name))
          .filter(name -> seen.add(name.toString()))
          .forEach(name -> unknown.add(describe(source, name)));
    }
    return unknown;
  }

  private static boolean isSystemSource(ConfigurationPropertySource source) {
    return source.getUnderlyingSource()
            instanceof org.springframework.core.env.PropertySource<?> propertySource
        && SYSTEM_SOURCES.contains(propertySource.getName());
  }

  /**
   * Known, or below a map or list (outbox.kafka.properties.acks, outbox.console.allowed-hosts[0]).
   */
  private boolean isKnown(ConfigurationPropertyName name) {
    if (known.contains(name.toString())) {
      return true;
    }
    for (ConfigurationPropertyName parent = name.getParent();
        !parent.isEmpty();
        parent = parent.getParent()) {
      if (containers.contains(parent.toString())) {
        return true;
      }
    }
    return false;
  }

  private Unknown describe(ConfigurationPropertySource source, ConfigurationPropertyName name) {
    ConfigurationProperty property = source.getConfigurationProperty(name);
    String origin =
        property == null || property.getOrigin() == null
            ? null
            : String.valueOf(property.getOrigin());
    return new Unknown(name.toString(), origin, closest(name.toString()));
  }

  /** The known name a few typing mistakes away, if there is one. */
  private @Nullable String closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int tolerated = Math.max(2, name.length() / 6);
    return bestDistance <= tolerated ? best : null;
  }

  /** Levenshtein's: the fewest letters inserted, deleted or changed to turn one into the other. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int change = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + change);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
