/**
 * What the host reads and writes of its leases beside the engine: the checkpoint and lag of a held shard, and releasing the lease of a shard whose child failed.
 */
@NullMarked
package dev.kclboot.multilang.lease;

import org.jspecify.annotations.NullMarked;
