/**
 * Exponential backoff with jitter, for throttling, dependency failures and failed batches.
 */
@NullMarked
package dev.kclboot.core.backoff;

import org.jspecify.annotations.NullMarked;
