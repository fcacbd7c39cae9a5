package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The defaults IDEs show from the configuration metadata are the defaults the starter uses: each
 * documented default, bound as a property, gives the properties object it starts with.
 */
class ConfigurationMetadataTest {

  private static final Pattern DEFAULT =
      Pattern.compile("\\{\"name\": \"(outbox\\.[a-z.-]+)\", \"defaultValue\": \"?([^\"}]+)\"?\\}");

  @Test
  void everyDocumentedDefaultIsTheDefaultInUse() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>();
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/additional-spring-configuration-metadata.json")) {
      Matcher m = DEFAULT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      while (m.find()) {
        documented.put(m.group(1), m.group(2));
      }
    }
    assertThat(documented).hasSize(21);

    OutboxProperties bound =
        new Binder(new MapConfigurationPropertySource(documented))
            .bind("outbox", OutboxProperties.class)
            .get();
    OutboxProperties defaults = new OutboxProperties();
    assertThat(bound).usingRecursiveComparison().isEqualTo(defaults);
  }
}
