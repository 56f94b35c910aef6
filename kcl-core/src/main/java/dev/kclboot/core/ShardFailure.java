package dev.kclboot.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A shard whose consumer keeps failing on this worker (the processor's initialize throws, Kinesis refuses to read it,
 * the processor does not checkpoint at shard end...), for health checks and operators. It is forgotten once the
 * shard makes progress here, its checkpoint moves, it ends, or another worker holds it steadily.
 * @param streamName the stream of the shard
 * @param shardId the shard
 * @param failures consumer failures since the shard last made progress
 * @param since when the first of them happened
 * @param lastFailure when the last one happened
 * @param error the last failure's message (exception class and message)
 * @param retryAt when this worker may take the shard again, null once it may
 */
public record ShardFailure(String streamName, String shardId, int failures, Instant since, Instant lastFailure,
        String error, @Nullable Instant retryAt) {
}
