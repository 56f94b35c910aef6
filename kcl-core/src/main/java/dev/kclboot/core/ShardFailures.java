package dev.kclboot.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;

/**
 * The consumer failures of each shard on this worker, kept outside the consumers (a consumer ends with its failure;
 * the record outlives it, like spring-kafka's {@code FailedRecordTracker}): after each failure this worker does not
 * take the shard again for an exponential, capped, jittered backoff, so a shard that cannot progress is retried
 * calmly and is visible in health.
 * <p>
 * A record is forgotten when the shard makes progress here, when a scan shows its checkpoint moved or the lease
 * finished or gone, or when another worker has held it steadily for the failover time (it would have released it on
 * a failure of its own).
 */
final class ShardFailures {

    private static final class Entry {

        final String streamName;

        final String shardId;

        final Instant since;

        int failures;

        Instant lastFailure;

        String error;

        long retryAtNanos;

        @Nullable ExtendedSequenceNumber checkpointAtFailure;

        @Nullable String otherOwner;

        long otherOwnerSinceNanos;

        Entry(String streamName, String shardId, Instant since) {
            this.streamName = streamName;
            this.shardId = shardId;
            this.since = since;
            this.lastFailure = since;
            this.error = "";
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private final ExponentialBackoff backoff;

    private final long failoverNanos;

    ShardFailures(ExponentialBackoff backoff, Duration failoverTime) {
        this.backoff = backoff;
        this.failoverNanos = failoverTime.toNanos();
    }

    /** Records a failure; returns how long this worker now keeps off the shard. */
    Duration failed(String leaseKey, String streamName, String shardId, Throwable cause,
            @Nullable ExtendedSequenceNumber checkpoint) {
        Instant now = Instant.now();
        Entry entry = entries.computeIfAbsent(leaseKey, key -> new Entry(streamName, shardId, now));
        synchronized (entry) {
            Duration delay = backoff.delay(entry.failures);
            entry.failures++;
            entry.lastFailure = now;
            entry.error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            entry.retryAtNanos = System.nanoTime() + delay.toNanos();
            entry.checkpointAtFailure = checkpoint;
            entry.otherOwner = null;
            return delay;
        }
    }

    /** The shard made progress on this worker. */
    void progressed(String leaseKey) {
        if (!entries.isEmpty()) {
            entries.remove(leaseKey);
        }
    }

    /** Whether this worker keeps off the shard now. */
    boolean inBackoff(String leaseKey) {
        Entry entry = entries.get(leaseKey);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            return System.nanoTime() - entry.retryAtNanos < 0;
        }
    }

    /** Forgets the shards that recovered elsewhere or ended, judged from a scan of the table. */
    void observe(Map<String, Lease> scanByKey, String workerId) {
        long now = System.nanoTime();
        entries.entrySet().removeIf(mapping -> {
            Lease lease = scanByKey.get(mapping.getKey());
            Entry entry = mapping.getValue();
            synchronized (entry) {
                if (lease == null || lease.isFinished()) {
                    return true;
                }
                if (entry.checkpointAtFailure != null && !entry.checkpointAtFailure.equals(lease.checkpoint())) {
                    return true;
                }
                if (lease.leaseOwner() == null || lease.isOwnedBy(workerId)) {
                    entry.otherOwner = null;
                    return false;
                }
                if (!Objects.equals(entry.otherOwner, lease.leaseOwner())) {
                    entry.otherOwner = lease.leaseOwner();
                    entry.otherOwnerSinceNanos = now;
                    return false;
                }
                return now - entry.otherOwnerSinceNanos > failoverNanos;
            }
        });
    }

    List<ShardFailure> snapshot() {
        List<ShardFailure> result = new ArrayList<>();
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                long wait = entry.retryAtNanos - nowNanos;
                result.add(new ShardFailure(entry.streamName, entry.shardId, entry.failures, entry.since,
                        entry.lastFailure, entry.error, wait > 0 ? now.plusNanos(wait) : null));
            }
        }
        result.sort((a, b) -> a.shardId().compareTo(b.shardId()));
        return result;
    }
}
