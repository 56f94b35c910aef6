/**
 * Failure analyzers that turn startup errors into a description and an action.
 */
@NullMarked
package dev.kclboot.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
