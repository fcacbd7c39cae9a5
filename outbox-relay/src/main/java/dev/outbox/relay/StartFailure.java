package dev.outbox.relay;

import dev.outbox.Redaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/**
 * The relay, or the configuration of a command, could not start: what went wrong in a line, with
 * what to do in a second when Spring Boot's failure analysis says it (the analyzers behind its
 * "APPLICATION FAILED TO START" report: the starter's, the console's, the relay's and its own). An
 * analysed failure is the configuration's, exit code {@value OutboxCli#USAGE}, but for a web server
 * that could not listen (its port taken, say); any other is {@value OutboxCli#FAILED}.
 */
final class StartFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> lines;
  private final int exitCode;

  private StartFailure(RuntimeException failure, @Nullable FailureAnalysis analysis) {
    super(failure.getMessage(), failure);
    List<String> lines = new ArrayList<>();
    if (analysis == null) {
      lines.add(Redaction.describe(innermostUseful(failure)));
    } else {
      // The description may quote a value as configured; the action is the analyzer's own words,
      // which name settings (require-credentials=false) that masking would blank out.
      lines.add(Redaction.mask(oneLine(analysis.getDescription())));
      String action = analysis.getAction();
      if (action != null && !action.isBlank()) {
        lines.add(oneLine(action));
      }
    }
    this.lines = List.copyOf(lines);
    this.exitCode =
        analysis == null || causedBy(failure, WebServerException.class)
            ? OutboxCli.FAILED
            : OutboxCli.USAGE;
  }

  /**
   * Runs {@code application}; a start that fails is thrown as a {@link StartFailure}.
   *
   * @param log the relay's log while it starts, held, or {@code null} to log as it comes
   */
  static ConfigurableApplicationContext run(
      SpringApplicationBuilder application, @Nullable StartLog log, String... arguments) {
    Analysis analysis = new Analysis();
    application.listeners(analysis);
    if (log != null) {
      application.listeners(log);
    }
    ConfigurableApplicationContext context;
    try {
      context = application.run(arguments);
    } catch (RuntimeException e) {
      if (log != null) {
        log.drop();
      }
      throw new StartFailure(e, analysis.result);
    }
    if (log != null) {
      log.release();
    }
    return context;
  }

  /** What went wrong, credentials masked, then what to do if Spring Boot's analysis says. */
  List<String> lines() {
    return lines;
  }

  int exitCode() {
    return exitCode;
  }

  /** Past Spring's "Error creating bean…", "Failed to start bean…": what they wrap says it. */
  private static Throwable innermostUseful(Throwable failure) {
    Throwable useful = failure;
    while ((useful instanceof BeansException || useful instanceof ApplicationContextException)
        && useful.getCause() != null) {
      useful = useful.getCause();
    }
    return useful;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Spring Boot's report lays its text out on lines and tabs; a line on the terminal has none. */
  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  /**
   * Spring Boot's analysis of the failure, by its analyzers, loaded and given the context as its
   * own {@code FailureAnalyzers} does (which keeps the analysis to itself: it only logs it).
   */
  private static final class Analysis implements ApplicationListener<ApplicationFailedEvent> {

    private @Nullable FailureAnalysis result;

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
      ConfigurableApplicationContext context = event.getApplicationContext();
      ArgumentResolver arguments =
          context == null
              ? ArgumentResolver.none()
              : ArgumentResolver.of(BeanFactory.class, context.getBeanFactory())
                  .and(Environment.class, context.getEnvironment());
      List<FailureAnalyzer> analyzers =
          SpringFactoriesLoader.forDefaultResourceLocation(
                  event.getSpringApplication().getClassLoader())
              .load(
                  FailureAnalyzer.class,
                  arguments,
                  FailureHandler.logging(LogFactory.getLog(StartFailure.class)));
      for (FailureAnalyzer analyzer : analyzers) {
        try {
          FailureAnalysis analysis = analyzer.analyze(event.getException());
          if (analysis != null) {
            result = analysis;
            return;
          }
        } catch (RuntimeException e) {
          // An analyzer that fails leaves the failure to the next, as in Spring Boot.
        }
      }
    }
  }
}
