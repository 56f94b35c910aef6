package dev.kclboot.core.parallel;

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

        boolean done;

        Entry(ExtendedSequenceNumber position) {
            this.position = position;
        }
    }

    private final ArrayDeque<Entry> inOrder = new ArrayDeque<>();

    private final Map<ExtendedSequenceNumber, Entry> byPosition = new HashMap<>();

    private @Nullable ExtendedSequenceNumber watermark;

    /** The position of a record. */
    public static ExtendedSequenceNumber positionOf(KinesisRecord record) {
        return ExtendedSequenceNumber.of(record.sequenceNumber(), record.subSequenceNumber());
    }

    /** Records handed over, in shard order (after every record tracked before). */
    public synchronized void track(Iterable<KinesisRecord> records) {
        for (KinesisRecord record : records) {
            Entry entry = new Entry(positionOf(record));
            if (byPosition.putIfAbsent(entry.position, entry) == null) {
                inOrder.addLast(entry);
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
