package dev.outbox.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Free event headers are stored as a flat JSON object of strings. */
public final class HeadersCodec {

  private HeadersCodec() {}

  public static Map<String, String> fromJson(@Nullable String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    if (!(Json.parse(json) instanceof Map<?, ?> map)) {
      throw new IllegalStateException("stored headers are not a JSON object: " + json);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    map.forEach((k, v) -> headers.put((String) k, String.valueOf(v)));
    return Collections.unmodifiableMap(headers);
  }
}
