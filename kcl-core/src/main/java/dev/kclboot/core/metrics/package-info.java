/**
 * Micrometer meters of the engine.
 */
@NullMarked
package dev.kclboot.core.metrics;

import org.jspecify.annotations.NullMarked;
