/**
 * Checkpoints: the {@link dev.kclboot.core.checkpoint.Checkpointer} handed to processors and its exceptions.
 */
@NullMarked
package dev.kclboot.core.checkpoint;

import org.jspecify.annotations.NullMarked;
