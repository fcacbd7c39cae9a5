package dev.outbox.relay;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A relay or a command started without a setting it needs, or with one it cannot use, says what to
 * set, in Spring Boot's failure report and on the command line ({@link StartFailure}).
 */
final class SettingFailureAnalyzer
    extends AbstractFailureAnalyzer<RequiredSettings.SettingException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, RequiredSettings.SettingException cause) {
    return new FailureAnalysis(String.valueOf(cause.getMessage()), cause.action(), cause);
  }
}
