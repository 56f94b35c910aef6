/**
 * Enhanced fan-out: the stream consumer's registration, and a {@link dev.kclboot.core.fetch.ShardReader} per shard
 * that subscribes with SubscribeToShard, pulls one event at a time, resubscribes from the continuation sequence
 * number, and ends at the shard's end as polling does.
 */
@NullMarked
package dev.kclboot.core.fanout;

import org.jspecify.annotations.NullMarked;
