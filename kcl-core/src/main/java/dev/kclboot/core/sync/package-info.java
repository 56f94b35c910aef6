/**
 * Shard sync: which leases a stream's shards are missing, by the lineage rule, and their creation.
 */
@NullMarked
package dev.kclboot.core.sync;

import org.jspecify.annotations.NullMarked;
