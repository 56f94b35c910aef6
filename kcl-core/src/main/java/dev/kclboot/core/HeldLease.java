package dev.kclboot.core;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one lease a worker holds, for health checks, metrics and operators.
 * @param streamName the stream of the shard
 * @param shardId the shard
 * @param leaseKey the key of the lease in the lease table
 * @param checkpoint the stored checkpoint (sequence number, optionally {@code /sub-sequence}, or a sentinel)
 * @param millisBehindLatest how far the last read was behind the tip of the shard, null before the first read
 * @param leaseCounter the lease counter as last written by this worker
 */
public record HeldLease(String streamName, String shardId, String leaseKey, String checkpoint,
        @Nullable Long millisBehindLatest, long leaseCounter) {
}
