/**
 * Shard discovery with lineage and the per-shard consumer loop.
 */
@NullMarked
package dev.kclboot.core.shard;

import org.jspecify.annotations.NullMarked;
