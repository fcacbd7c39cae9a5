/**
 * The outbox in Spring Boot: {@link dev.outbox.spring.OutboxAutoConfiguration} runs a dispatcher on
 * the application's {@code DataSource}, configured by {@code outbox.*} properties, and provides the
 * {@link dev.outbox.spring.Outbox} bean that saves events in the current Spring-managed
 * transaction.
 */
@NullMarked
package dev.outbox.spring;

import org.jspecify.annotations.NullMarked;
