/**
 * Polling GetRecords with iterator recovery and backoff.
 */
@NullMarked
package dev.kclboot.core.fetch;

import org.jspecify.annotations.NullMarked;
