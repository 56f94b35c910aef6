package dev.kclboot.multilang.processor;

import java.time.Instant;

/**
 * What an operator sees of one running child.
 * @param shardId its shard
 * @param pid its process id
 * @param startedAt when it was started
 */
public record ChildSnapshot(String shardId, long pid, Instant startedAt) {
}
