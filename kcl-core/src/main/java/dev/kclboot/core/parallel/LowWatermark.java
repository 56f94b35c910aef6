package dev.kclboot.core.parallel;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * The records of a shard handed over and not yet done, in shard order, and the low watermark: the position of the
 * last record before which (and including which) every record is done. Checkpointing the watermark never passes a
 * record still in flight, whatever order records finish in. KPL user records count one by one (sub-sequence numbers).
 * Thread-safe.
 */
public final class LowWatermark {

    private static final class Entry {

        final ExtendedSequenceNumber position;

        /** The record's approximate arrival time in epoch milliseconds, or {@link #UNKNOWN}. */
        final long arrivalMillis;

        boolean done;

        Entry(ExtendedSequenceNumber position, long arrivalMillis) {
            this.position = position;
            this.arrivalMillis = arrivalMillis;
        }
    }

    private final ArrayDeque<Entry> inOrder = new ArrayDeque<>();

    private final Map<ExtendedSequenceNumber, Entry> byPosition = new HashMap<>();

    private static final long UNKNOWN = Long.MIN_VALUE;

    private @Nullable ExtendedSequenceNumber watermark;

    /** The arrival time of the newest record handed over, or {@link #UNKNOWN}. */
    private long newestArrivalMillis = UNKNOWN;

    /** The position of a record. */
    public static ExtendedSequenceNumber positionOf(KinesisRecord record) {
        return ExtendedSequenceNumber.of(record.sequenceNumber(), record.subSequenceNumber());
    }

    /** Records handed over, in shard order (after every record tracked before). */
    public synchronized void track(Iterable<KinesisRecord> records) {
        for (KinesisRecord record : records) {
            Instant arrival = record.approximateArrivalTimestamp();
            Entry entry = new Entry(positionOf(record), arrival == null ? UNKNOWN : arrival.toEpochMilli());
            if (byPosition.putIfAbsent(entry.position, entry) == null) {
                inOrder.addLast(entry);
                if (entry.arrivalMillis != UNKNOWN) {
                    newestArrivalMillis = Math.max(newestArrivalMillis, entry.arrivalMillis);
                }
            }
        }
    }

    /**
     * A record is done (succeeded, recovered, filtered or expired).
     * @return whether the watermark moved
     */
    public synchronized boolean done(KinesisRecord record) {
        Entry entry = byPosition.get(positionOf(record));
        if (entry == null || entry.done) {
            return false;
        }
        entry.done = true;
        boolean moved = false;
        while (!inOrder.isEmpty() && inOrder.peekFirst().done) {
            Entry head = inOrder.pollFirst();
            byPosition.remove(head.position);
            watermark = head.position;
            moved = true;
        }
        return moved;
    }

    /** The last position before which every record handed over is done, or null while none is. */
    public synchronized @Nullable ExtendedSequenceNumber watermark() {
        return watermark;
    }

    /** How many records handed over are not done yet (or are done behind one that is not). */
    public synchronized int pending() {
        return inOrder.size();
    }

    /** Whether every record handed over is done. */
    public synchronized boolean allDone() {
        return inOrder.isEmpty();
    }

    /**
     * How far the watermark is behind the newest record handed over, in time: the arrival time of the newest record
     * minus that of the oldest one not done; 0 when every record is done or arrival times are unknown.
     */
    public synchronized long lagMillis() {
        for (Entry entry : inOrder) {
            if (!entry.done) {
                if (entry.arrivalMillis == UNKNOWN || newestArrivalMillis == UNKNOWN) {
                    return 0;
                }
                return Math.max(0, newestArrivalMillis - entry.arrivalMillis);
            }
        }
        return 0;
    }

    /** The oldest record not done yet, or null. */
    public synchronized @Nullable ExtendedSequenceNumber oldestPending() {
        for (Entry entry : inOrder) {
            if (!entry.done) {
                return entry.position;
            }
        }
        return null;
    }
}
