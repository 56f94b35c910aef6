/**
 * What a shard holds as processors see it: records ({@link dev.kclboot.core.record.KinesisRecord}) and positions
 * ({@link dev.kclboot.core.record.ExtendedSequenceNumber}). The lowest layer of the engine: depends on nothing else.
 */
@NullMarked
package dev.kclboot.core.record;

import org.jspecify.annotations.NullMarked;
