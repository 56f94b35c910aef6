package dev.kclboot.benchmarks.latency;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What one contender received: the latency of each record (put to delivery), by record number, and how often each
 * arrived. Thread-safe; the readers of several shards record at once.
 */
final class LatencyRecorder {

    private final long[] latencyNanos;

    private final int[] deliveries;

    private int received;

    LatencyRecorder(int records) {
        this.latencyNanos = new long[records];
        this.deliveries = new int[records];
    }

    /** A record's payload arrived now. */
    void received(ByteBuffer payload) {
        long now = System.nanoTime();
        Stamp stamp = Stamp.of(payload);
        synchronized (this) {
            if (stamp.number() < 0 || stamp.number() >= deliveries.length) {
                return;
            }
            if (deliveries[stamp.number()]++ == 0) {
                latencyNanos[stamp.number()] = now - stamp.putNanos();
                received++;
            }
        }
    }

    /** Distinct records received so far. */
    synchronized int received() {
        return received;
    }

    /** Whether every record from {@code from} on has arrived. */
    synchronized boolean hasAllFrom(int from) {
        for (int i = from; i < deliveries.length; i++) {
            if (deliveries[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** The latencies of records {@code from} to the end, in milliseconds, sorted; missing ones left out. */
    synchronized double[] sortedMillisFrom(int from) {
        double[] millis = new double[deliveries.length - from];
        int n = 0;
        for (int i = from; i < deliveries.length; i++) {
            if (deliveries[i] > 0) {
                millis[n++] = latencyNanos[i] / 1e6;
            }
        }
        double[] sorted = Arrays.copyOf(millis, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Records from {@code from} on that arrived more than once (the worker delivers at least once). */
    synchronized int duplicatesFrom(int from) {
        int duplicates = 0;
        for (int i = from; i < deliveries.length; i++) {
            duplicates += Math.max(0, deliveries[i] - 1);
        }
        return duplicates;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
