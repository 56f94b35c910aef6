/**
 * The consumer of one shard lease: initialize, read and deliver batches, shut down.
 */
@NullMarked
package dev.kclboot.core.consumer;

import org.jspecify.annotations.NullMarked;
