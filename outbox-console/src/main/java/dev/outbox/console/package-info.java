/**
 * The outbox's web console: {@link dev.outbox.console.OutboxConsoleAutoConfiguration} serves it in
 * a Spring Boot application with the starter when {@code outbox.console.enabled=true}, configured
 * by {@link dev.outbox.console.ConsoleProperties}.
 */
@NullMarked
package dev.outbox.console;

import org.jspecify.annotations.NullMarked;
