package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the auto-configuration makes of the properties, without starting anything. */
class OutboxAutoConfigurationTest {

  private static final Publisher NOTHING =
      new Publisher() {
        @Override
        public CompletionStage<Void> publish(EventRecord event) {
          return CompletableFuture.completedFuture(null);
        }
      };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class))
          .withBean(DataSource.class, OutboxAutoConfigurationTest::h2)
          .withPropertyValues("outbox.create-schema=true");

  private static DataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:autoconfig;DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @Test
  void theApplicationsPublisherAndTheProperties() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.batch-size=250", "outbox.poll-interval=500ms")
        .run(
            context -> {
              Dispatcher dispatcher = context.getBean(Dispatcher.class);
              assertThat(dispatcher.config().batchSize()).isEqualTo(250);
              assertThat(dispatcher.config().publisher()).isSameAs(NOTHING);
              assertThat(context).hasSingleBean(Outbox.class);
            });
  }

  @Test
  void anInvalidPropertyStopsTheApplicationNamingIt() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.batch-size=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("batchSize must be"));
  }

  @Test
  void withoutBrokerSettingsTheErrorSaysWhatToSet() {
    runner.run(
        context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("outbox.kafka.bootstrap-servers"));
  }

  @Test
  void disabledThereIsNoDispatcherButTheOutboxStillSaves() {
    runner
        .withPropertyValues("outbox.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Dispatcher.class);
              assertThat(context).hasSingleBean(Outbox.class);
            });
  }
}
