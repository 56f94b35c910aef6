/**
 * The record-processor API: one {@link dev.kclboot.core.processor.RecordProcessor} per shard, as in the KCL.
 */
@NullMarked
package dev.kclboot.core.processor;

import org.jspecify.annotations.NullMarked;
