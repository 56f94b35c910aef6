package dev.kclboot.benchmarks.parallel;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Counts the deliveries of one round exactly: how often each record (its payload is its index) finished, whether the
 * records of each key finished in write order, and when the first and the last finished. Thread-safe.
 */
final class RoundTally {

    private final AtomicIntegerArray deliveries;

    private final AtomicIntegerArray lastIndexPerKey;

    private final int keys;

    private final AtomicInteger finished = new AtomicInteger();

    private final AtomicInteger orderViolations = new AtomicInteger();

    private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);

    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);

    RoundTally(int records, int keys) {
        this.deliveries = new AtomicIntegerArray(records);
        this.keys = keys;
        this.lastIndexPerKey = new AtomicIntegerArray(keys);
        for (int key = 0; key < keys; key++) {
            lastIndexPerKey.set(key, -1);
        }
    }

    /** A record finished (the handler returned). */
    void delivered(KinesisRecord record) {
        long now = System.nanoTime();
        int index = Integer.parseInt(new String(record.dataBytes(), StandardCharsets.UTF_8));
        if (deliveries.getAndIncrement(index) == 0) {
            finished.incrementAndGet();
        }
        int previous = lastIndexPerKey.getAndSet(index % keys, index);
        if (previous >= index) {
            orderViolations.incrementAndGet();
        }
        firstNanos.accumulateAndGet(now, Math::min);
        lastNanos.accumulateAndGet(now, Math::max);
    }

    /** Records finished at least once. */
    int finished() {
        return finished.get();
    }

    int missing() {
        return deliveries.length() - finished.get();
    }

    /** Deliveries beyond the first of each record. */
    int duplicates() {
        int duplicates = 0;
        for (int i = 0; i < deliveries.length(); i++) {
            duplicates += Math.max(0, deliveries.get(i) - 1);
        }
        return duplicates;
    }

    /** Records of a key that finished after a later record of the same key. */
    int orderViolations() {
        return orderViolations.get();
    }

    /** Records per second from the first record finished to the last. */
    double perSecond() {
        long span = lastNanos.get() - firstNanos.get();
        return span <= 0 ? 0 : (finished.get() - 1) * 1e9 / span;
    }
}
