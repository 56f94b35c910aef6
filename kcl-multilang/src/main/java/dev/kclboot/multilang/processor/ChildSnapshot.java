package dev.kclboot.multilang.processor;

import java.time.Instant;

/**
 * What an operator sees of one running child.
 * @param shardId its shard
 * @param pid its process id
 * @param startedAt when it was started
 * @param failuresInARow how many children of the shard failed before it without a batch done since
 */
public record ChildSnapshot(String shardId, long pid, Instant startedAt, int failuresInARow) {
}
