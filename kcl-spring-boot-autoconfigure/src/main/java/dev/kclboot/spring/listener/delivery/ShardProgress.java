package dev.kclboot.spring.listener.delivery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.kclboot.core.parallel.LowWatermark;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * How far one shard got, record by record: every record the engine handed over is tracked in a
 * {@link LowWatermark}, each is marked done on its own (succeeded, recovered, filtered or expired; records may be done
 * out of order, a filtered record before an earlier one still failing, for example), and the checkpoint goes to the
 * watermark: the last position up to which every record is done. KPL user records count one by one.
 * <p>
 * A batch the engine hands over again (after the container handed it back) returns only the records not done yet.
 * Synchronized: the listener's thread marks records done while the engine's thread checkpoints (and, after a stop's
 * drain time, may checkpoint while an abandoned delivery still runs).
 */
final class ShardProgress {

    private final LowWatermark watermark = new LowWatermark();

    /** Done records above the watermark (behind one still pending): skipped when their batch comes again. */
    private final Set<ExtendedSequenceNumber> doneAhead = new HashSet<>();

    private @Nullable ExtendedSequenceNumber lastTracked;

    private @Nullable ExtendedSequenceNumber checkpointed;

    /** Notes the records the engine handed over and returns those not done yet (a batch may come again). */
    synchronized List<KinesisRecord> delivered(List<KinesisRecord> records) {
        if (records.isEmpty()) {
            return records;
        }
        // Batches come in shard order: one whose first record is new is new as a whole (the common case, and the
        // cheap one: positions compare as big integers).
        ExtendedSequenceNumber first = LowWatermark.positionOf(records.get(0));
        if (lastTracked == null || first.compareTo(lastTracked) > 0) {
            watermark.track(records);
            lastTracked = LowWatermark.positionOf(records.get(records.size() - 1));
            return records;
        }
        List<KinesisRecord> fresh = new ArrayList<>();
        List<KinesisRecord> pending = new ArrayList<>();
        ExtendedSequenceNumber done = watermark.watermark();
        for (KinesisRecord record : records) {
            ExtendedSequenceNumber position = LowWatermark.positionOf(record);
            if (position.compareTo(lastTracked) > 0) {
                fresh.add(record);
                lastTracked = position;
                pending.add(record);
            }
            else if ((done == null || position.compareTo(done) > 0) && !doneAhead.contains(position)) {
                pending.add(record);
            }
        }
        watermark.track(fresh);
        return pending;
    }

    /**
     * Marks a record done.
     * @return whether the watermark moved
     */
    synchronized boolean done(KinesisRecord record) {
        if (watermark.done(record)) {
            // It was the oldest pending record, so it is at or below the new watermark.
            if (!doneAhead.isEmpty()) {
                ExtendedSequenceNumber done = watermark.watermark();
                doneAhead.removeIf(position -> done != null && position.compareTo(done) <= 0);
            }
            return true;
        }
        doneAhead.add(LowWatermark.positionOf(record));
        return false;
    }

    /** The last position up to which every record handed over is done, or null while none is. */
    synchronized @Nullable ExtendedSequenceNumber watermark() {
        return watermark.watermark();
    }

    /** Whether every record handed over so far is done. */
    synchronized boolean allDone() {
        return watermark.allDone();
    }

    /** Whether the watermark is past the last checkpoint. */
    synchronized boolean hasUncheckpointed() {
        ExtendedSequenceNumber done = watermark.watermark();
        return done != null && (checkpointed == null || done.compareTo(checkpointed) > 0);
    }

    synchronized void checkpointed(ExtendedSequenceNumber position) {
        if (checkpointed == null || position.compareTo(checkpointed) > 0) {
            checkpointed = position;
        }
    }
}
