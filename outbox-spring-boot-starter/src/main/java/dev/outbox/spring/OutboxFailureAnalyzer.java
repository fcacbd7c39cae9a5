package dev.outbox.spring;

import dev.outbox.MissingTablesException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * An application that cannot start because of the outbox says why and what to set, in Spring Boot's
 * "APPLICATION FAILED TO START" report, instead of a chain of "Caused by" lines (or nothing): an
 * {@code outbox.*} property no module knows, a setting refused, no publisher, the outbox tables
 * missing.
 */
final class OutboxFailureAnalyzer implements FailureAnalyzer {

  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownOutboxPropertyException unknown) {
        return new FailureAnalysis(
            "The outbox does not know every outbox.* property set: " + unknown.getMessage(),
            "Correct the name, or remove the property: no outbox module on the class path reads"
                + " it, so its value would be ignored. docs/configuration.md lists every one.",
            unknown);
      }
      if (cause instanceof InvalidOutboxSettingException invalid) {
        return new FailureAnalysis(
            "An outbox setting is invalid: " + invalid.getMessage(),
            "Change it where the application is configured (application.properties or .yaml,"
                + " an environment variable such as OUTBOX_BATCH_SIZE, or a --outbox.…=… argument).",
            invalid);
      }
      if (cause instanceof MissingPublisherException missing) {
        return new FailureAnalysis(
            "The outbox dispatcher has no Publisher to send events with: the application defines"
                + " no dev.outbox.spi.Publisher bean, and dev.outbox:outbox-kafka is not on the"
                + " class path.",
            "Add dev.outbox:outbox-kafka for the Kafka publisher (configured by outbox.kafka.* and"
                + " spring.kafka.*), or define a Publisher bean of your own, or set"
                + " outbox.enabled=false where this application only saves events.",
            missing);
      }
      if (cause instanceof MissingTablesException missing && missing.missingColumn() != null) {
        return new FailureAnalysis(
            "The outbox table "
                + missing.tables().events()
                + " has no column "
                + missing.missingColumn()
                + ", which this version of the outbox needs: "
                + String.valueOf(missing.getCause() == null ? "" : missing.getCause().getMessage()),
            "Add it: set outbox.create-schema=true to have the dispatcher add what the existing"
                + " tables lack, or outbox.flyway.enabled=true to migrate them with Flyway, or"
                + " apply the migrations that come with outbox-core (Flyway V2 or the Liquibase"
                + " changesets outbox-2-…) with your own, or run `outbox schema apply`.",
            missing);
      }
      if (cause instanceof MissingTablesException missing) {
        return new FailureAnalysis(
            "The outbox tables "
                + missing.tables()
                + " cannot be read: "
                + String.valueOf(missing.getCause() == null ? "" : missing.getCause().getMessage()),
            "Create them: set outbox.create-schema=true to have the dispatcher create them, or"
                + " outbox.flyway.enabled=true to migrate them with Flyway, or apply the migrations"
                + " that come with outbox-core (Flyway or Liquibase) with your own, or run"
                + " `outbox schema apply`.",
            missing);
      }
    }
    return null;
  }
}
