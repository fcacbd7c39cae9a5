package dev.outbox.console;

import dev.outbox.Dispatcher;
import dev.outbox.console.internal.ListenAddress;
import dev.outbox.spring.OutboxAutoConfiguration;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The console at {@code outbox.console.path} (default {@code /outbox/}) of a servlet web
 * application with the starter's {@link Dispatcher}, when {@code outbox.console.enabled=true}.
 */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "outbox.console", name = "enabled", havingValue = "true")
@ConditionalOnBean(Dispatcher.class)
@EnableConfigurationProperties(ConsoleProperties.class)
public class OutboxConsoleAutoConfiguration {

  /**
   * Checks where the console would be served before any bean is made ({@link ConsoleExposure}): a
   * refusal then comes before the dispatcher connects or the web server opens its port.
   */
  @Bean
  static BeanFactoryPostProcessor outboxConsoleExposureCheck(Environment environment) {
    return beanFactory ->
        ConsoleExposure.check(
            ListenAddress.of(environment.getProperty(ListenAddress.PROPERTY)),
            Binder.get(environment)
                .bind("outbox.console", ConsoleProperties.class)
                .orElseGet(ConsoleProperties::new));
  }

  @Bean(destroyMethod = "close")
  ConsoleHistory outboxConsoleHistory(Dispatcher dispatcher, ConsoleProperties properties) {
    return ConsoleHistory.start(
        dispatcher, properties.getSampleInterval(), properties.getHistory());
  }

  @Bean
  ConsoleAuth outboxConsoleAuth(ConsoleProperties properties) {
    return ConsoleAuth.of(
        properties.getToken(),
        properties.getUsername(),
        properties.getPassword(),
        properties.isAnonymousRead(),
        new SignInThrottle(
            Clock.systemUTC(),
            properties.getMaxFailedSignIns(),
            properties.getFailedSignInPause(),
            SignInThrottle.MAX_CLIENTS));
  }

  @Bean(destroyMethod = "close")
  BulkOperations outboxConsoleBulkOperations() {
    return new BulkOperations();
  }

  @Bean
  ConsoleApi outboxConsoleApi(
      Dispatcher dispatcher, ConsoleHistory history, ConsoleAuth auth, BulkOperations bulk) {
    return new ConsoleApi(dispatcher, history, auth, bulk);
  }

  @Bean
  ConsolePage outboxConsolePage() {
    return new ConsolePage();
  }

  @Bean
  WebMvcConfigurer outboxConsoleResources(ConsoleProperties properties, Environment environment) {
    String path = ConsolePaths.check(properties.getPath());
    HostCheck hosts =
        HostCheck.of(
            properties.getAllowedHosts(),
            ListenAddress.of(environment.getProperty(ListenAddress.PROPERTY)));
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        // The page, its assets and its API alike: none is served to a host it does not answer to.
        registry.addInterceptor(new HostInterceptor(hosts)).addPathPatterns(path, path + "/**");
      }

      @Override
      public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry
            .addResourceHandler(path + "/assets/**")
            .addResourceLocations("classpath:/dev/outbox/console/assets/");
        registry
            .addResourceHandler(path + "/webjars/**")
            .addResourceLocations("classpath:/META-INF/resources/webjars/")
            .resourceChain(true)
            .addResolver(new LiteWebJarsResourceResolver());
      }
    };
  }
}
