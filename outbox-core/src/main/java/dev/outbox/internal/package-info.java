/** Implementation details; nothing here is API and any of it may change in any release. */
@NullMarked
package dev.outbox.internal;

import org.jspecify.annotations.NullMarked;
