package dev.kclboot.spring.listener;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What one shard processor of a listener container is doing now, for health checks and operators. With a
 * concurrency above 1 (several records of the shard in the listener at once) the fields describe the worst record in
 * flight: the one failing longest, else the one whose listener call runs longest, else the oldest.
 * @param stream the stream
 * @param shardId the shard
 * @param sequenceNumber the record (for a batch listener: the first record of the batch) being delivered now, or
 * null when every record handed over is done
 * @param attempts how often that record was delivered so far (recoverer calls included)
 * @param failingSince when its first attempt failed, null while it has not failed
 * @param lastFailure the last exception (type and message), null while it has not failed
 * @param inCallSince when the listener (or recoverer) call running now began, null between calls
 * @param iteratorAge the age of the oldest record handed over and not yet done (now minus its approximate arrival
 * time); between batches, the age the last record had when it was done. Like Lambda's IteratorAge, it keeps growing
 * while a record is blocked, and stays high while the listener is behind
 */
public record ShardStatus(String stream, String shardId, @Nullable String sequenceNumber, int attempts,
        @Nullable Instant failingSince, @Nullable String lastFailure, @Nullable Instant inCallSince,
        Duration iteratorAge) {

    /**
     * Whether the shard is blocked: its current record has failed for longer than the threshold, or one listener
     * call has been running for longer than it.
     */
    public boolean isBlocked(Duration threshold, Instant now) {
        return olderThan(failingSince, threshold, now) || olderThan(inCallSince, threshold, now);
    }

    private static boolean olderThan(@Nullable Instant since, Duration threshold, Instant now) {
        return since != null && Duration.between(since, now).compareTo(threshold) > 0;
    }
}
