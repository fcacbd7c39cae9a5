package dev.outbox.example.spring;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs every finished span on one line (kind, name, trace id, span id, parent span id), in place of
 * an OTLP exporter, so one trace can be followed in the log from the HTTP request through the
 * outbox's publish to the consumer. Spring Boot hands every {@link SpanExporter} bean the spans.
 */
@Component
class SpanLogger implements SpanExporter {

  private static final Logger LOG = LoggerFactory.getLogger(SpanLogger.class);

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      LOG.info(
          "{} '{}' trace={} span={} parent={} {}ms",
          span.getKind(),
          span.getName(),
          span.getTraceId(),
          span.getSpanId(),
          span.getParentSpanContext().isValid() ? span.getParentSpanId() : "-",
          TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos()));
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
