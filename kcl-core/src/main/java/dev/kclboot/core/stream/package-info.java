/**
 * Streams as Kinesis describes them: a configured stream and its lease-key scheme, where new shards start, and the
 * shard listing.
 */
@NullMarked
package dev.kclboot.core.stream;

import org.jspecify.annotations.NullMarked;
