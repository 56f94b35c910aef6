package dev.kclboot.core.lease;

/**
 * When a held lease is renewed next. Each lease keeps its own phase in the renewal interval: the next renewal is due
 * one interval after the previous due time, not after the moment the renewal happened to be sent. Dispatching on a
 * ticking renewer would otherwise let every lease drift to the next tick, and the leases would bunch on a few ticks
 * (200 leases in 6 groups of 33 sent at once), so the renewal pool would need many threads for short bursts; with
 * phases kept, renewals go out at rate × latency concurrency (200 leases per 3.3 s at 150 ms: about 9 in flight).
 * <p>
 * A checkpoint moves the counter too, so a renewal due soon after it is skipped, but only by whole intervals
 * ({@link #afterWrite}): shards that all checkpoint their first batch at the same moment would otherwise all restart
 * their phase at that moment and be renewed together from then on.
 * <p>
 * A lease taken now starts at a random phase of the whole interval, so leases taken together are not renewed
 * together; its first renewal may come sooner than one interval after the take (one extra write, never a later one).
 */
final class RenewalPhase {

    private RenewalPhase() {
    }

    /**
     * The due time of the renewal after one that was due at {@code dueNanos} and sent at {@code sentNanos}: one
     * interval after the due time, or, when the renewal went out so late that this would leave less than half an
     * interval after it (a retry after a failure, a stalled process), one interval after it was sent (a new phase).
     */
    static long next(long dueNanos, long sentNanos, long intervalNanos) {
        long keptPhase = dueNanos + intervalNanos;
        return keptPhase - sentNanos < intervalNanos / 2 ? sentNanos + intervalNanos : keptPhase;
    }

    /**
     * The due time of the next renewal after another write (a checkpoint) sent at {@code writeNanos}, for the renewal
     * due at {@code dueNanos}: that one while it comes at least a quarter interval after the write, else the first
     * of its phase that does. The counter then stands still at most 1.25 intervals (4.2 s at the default failover of
     * 10 s: under failover/2), and a shard checkpointing every second is renewed about one interval in six.
     */
    static long afterWrite(long dueNanos, long writeNanos, long intervalNanos) {
        long earliest = writeNanos + intervalNanos / 4;
        long shortBy = earliest - dueNanos;
        if (shortBy <= 0) {
            return dueNanos;
        }
        long skipped = (shortBy + intervalNanos - 1) / intervalNanos;
        return dueNanos + skipped * intervalNanos;
    }

    /** How long after a take the first renewal is due, for a uniform random {@code fraction} in [0, 1). */
    static long firstAfter(double fraction, long intervalNanos) {
        long after = (long) (fraction * intervalNanos);
        return Math.max(1, Math.min(intervalNanos, after));
    }
}
