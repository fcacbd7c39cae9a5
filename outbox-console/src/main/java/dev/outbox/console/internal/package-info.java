/**
 * Helpers the console shares with the relay; nothing here is API and any of it may change in any
 * release.
 */
@NullMarked
package dev.outbox.console.internal;

import org.jspecify.annotations.NullMarked;
