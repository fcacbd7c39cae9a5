package dev.outbox.relay;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A relay started without a required setting says what to set, without a stack trace (Spring Boot
 * reports an analysed failure that way).
 */
final class MissingSettingFailureAnalyzer
    extends AbstractFailureAnalyzer<RequiredSettings.MissingSettingException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, RequiredSettings.MissingSettingException cause) {
    return new FailureAnalysis(
        "No database is configured: " + RequiredSettings.DATABASE_URL + " is not set.",
        "Set spring.datasource.url, spring.datasource.username and spring.datasource.password"
            + " in the --config file, as environment variables (SPRING_DATASOURCE_URL…) or as"
            + " --name=value arguments.",
        cause);
  }
}
