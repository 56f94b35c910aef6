package dev.kclboot.benchmarks.scale;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds the longest interval during which a lease's counter did not move, from snapshots of the lease table taken
 * from outside (lease key to {@code leaseCounter}, with the time of the snapshot). Pure logic, not thread-safe: one
 * observer thread feeds it.
 * <p>
 * An interval runs from the snapshot that first showed a counter value to the snapshot that first showed a different
 * one, so with snapshots every {@code p} ms the figure is accurate to about {@code p}. The first snapshot of a lease
 * starts its first interval (time before the observation began is not counted); {@link #finish(long)} closes the
 * intervals still open, so a lease that stopped moving for good is not missed. A lease that disappears from the
 * snapshots (deleted) is forgotten; one that reappears starts afresh.
 */
final class CounterStallTracker {

    /** The longest interval seen, for one lease; {@code endNanos} is the snapshot that ended it. */
    record Stall(String leaseKey, long nanos, long startNanos, long endNanos) {

        static final Stall NONE = new Stall("-", 0, 0, 0);
    }

    private record Seen(long counter, long sinceNanos) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    private Stall longest = Stall.NONE;

    private long changes;

    private long changeIntervalNanos;

    private int snapshots;

    /** Takes one snapshot of the table, taken at {@code nanos} ({@link System#nanoTime()}). */
    void observe(Map<String, Long> counters, long nanos) {
        snapshots++;
        seen.keySet().retainAll(counters.keySet());
        counters.forEach((leaseKey, counter) -> {
            Seen before = seen.get(leaseKey);
            if (before == null) {
                seen.put(leaseKey, new Seen(counter, nanos));
            }
            else if (before.counter != counter) {
                close(leaseKey, before, nanos);
                changes++;
                changeIntervalNanos += nanos - before.sinceNanos;
                seen.put(leaseKey, new Seen(counter, nanos));
            }
        });
    }

    /** Closes the open intervals at {@code nanos} (the end of the observation) and returns the longest interval. */
    Stall finish(long nanos) {
        seen.forEach((leaseKey, open) -> close(leaseKey, open, nanos));
        return longest;
    }

    /** The longest interval closed so far (without the open ones). */
    Stall longest() {
        return longest;
    }

    /** The mean time between two moves of one lease's counter; 0 before any move. */
    long meanChangeIntervalNanos() {
        return changes == 0 ? 0 : changeIntervalNanos / changes;
    }

    int snapshots() {
        return snapshots;
    }

    int leases() {
        return seen.size();
    }

    private void close(String leaseKey, Seen open, long nanos) {
        long length = nanos - open.sinceNanos;
        if (length > longest.nanos()) {
            longest = new Stall(leaseKey, length, open.sinceNanos, nanos);
        }
    }
}
