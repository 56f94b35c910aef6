/**
 * The consumer engine: {@link dev.kclboot.core.Worker} and its configuration.
 */
@NullMarked
package dev.kclboot.core;

import org.jspecify.annotations.NullMarked;
