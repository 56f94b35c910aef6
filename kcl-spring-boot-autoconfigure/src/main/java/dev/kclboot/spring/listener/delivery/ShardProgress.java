package dev.kclboot.spring.listener.delivery;

import java.util.List;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * How far one shard got: the last record handed over by the engine, the last record done (succeeded or recovered;
 * records are done strictly in order, so everything before it is done too) and the last record checkpointed.
 * Synchronized: the listener's thread marks records done while the engine's thread checkpoints (and, after a stop's
 * drain time, may checkpoint while an abandoned delivery still runs).
 */
final class ShardProgress {

    private @Nullable KinesisRecord lastDone;

    private @Nullable ExtendedSequenceNumber lastDonePosition;

    private @Nullable ExtendedSequenceNumber lastDeliveredPosition;

    private @Nullable ExtendedSequenceNumber checkpointedPosition;

    static ExtendedSequenceNumber position(KinesisRecord record) {
        return ExtendedSequenceNumber.of(record.sequenceNumber(), record.subSequenceNumber());
    }

    /** Notes the records the engine handed over and returns those not done yet (a batch may come again). */
    synchronized List<KinesisRecord> delivered(List<KinesisRecord> records) {
        if (records.isEmpty()) {
            return records;
        }
        ExtendedSequenceNumber last = position(records.get(records.size() - 1));
        if (lastDeliveredPosition == null || last.compareTo(lastDeliveredPosition) > 0) {
            lastDeliveredPosition = last;
        }
        ExtendedSequenceNumber done = lastDonePosition;
        if (done == null) {
            return records;
        }
        return records.stream().filter(record -> position(record).compareTo(done) > 0).toList();
    }

    synchronized void done(KinesisRecord record) {
        ExtendedSequenceNumber position = position(record);
        if (lastDonePosition == null || position.compareTo(lastDonePosition) > 0) {
            lastDone = record;
            lastDonePosition = position;
        }
    }

    synchronized @Nullable KinesisRecord lastDone() {
        return lastDone;
    }

    /** Whether every record handed over so far is done. */
    synchronized boolean allDone() {
        return lastDeliveredPosition == null
                || (lastDonePosition != null && lastDonePosition.compareTo(lastDeliveredPosition) >= 0);
    }

    /** Whether records are done that the last checkpoint does not cover yet. */
    synchronized boolean hasUncheckpointed() {
        return lastDonePosition != null
                && (checkpointedPosition == null || lastDonePosition.compareTo(checkpointedPosition) > 0);
    }

    synchronized void checkpointed(KinesisRecord record) {
        ExtendedSequenceNumber position = position(record);
        if (checkpointedPosition == null || position.compareTo(checkpointedPosition) > 0) {
            checkpointedPosition = position;
        }
    }
}
