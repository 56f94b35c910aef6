package dev.kclboot.spring.listener.delivery;

import java.util.HashMap;
import java.util.Map;

import dev.kclboot.core.parallel.LowWatermark;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The recovery state of one shard's failing records, kept outside the delivery loop (as spring-kafka's
 * {@code FailedRecordTracker} does): per record (by sequence and sub-sequence number) the attempts so far and the
 * running {@link BackOffExecution}. The delivery asks it, after each failure, whether to wait and deliver again or
 * to give up; a record that succeeded or was recovered is cleared. A batch delivered whole is tracked under its first
 * record. Synchronized: a stop may read it from another thread.
 */
final class FailedRecordTracker {

    /**
     * What to do after a failed attempt.
     * @param attempts the failed attempts of the record so far, this one included
     * @param backOffMillis the wait before the next attempt; meaningless when exhausted
     * @param exhausted whether the record used up its attempts (or the back-off said stop)
     */
    record Decision(int attempts, long backOffMillis, boolean exhausted) {
    }

    private static final class FailedRecord {

        int attempts;

        final BackOffExecution backOff;

        FailedRecord(BackOffExecution backOff) {
            this.backOff = backOff;
        }
    }

    private final BackOff backOff;

    private final int maxAttempts;

    private final Map<ExtendedSequenceNumber, FailedRecord> failing = new HashMap<>();

    /**
     * @param backOff the waits between attempts (a new execution per record)
     * @param maxAttempts attempts before a record is exhausted
     */
    FailedRecordTracker(BackOff backOff, int maxAttempts) {
        this.backOff = backOff;
        this.maxAttempts = maxAttempts;
    }

    /** Notes a failed attempt of the record and decides what comes next. */
    synchronized Decision failed(KinesisRecord record) {
        FailedRecord failed = failing.computeIfAbsent(LowWatermark.positionOf(record),
                position -> new FailedRecord(backOff.start()));
        failed.attempts++;
        if (failed.attempts >= maxAttempts) {
            return new Decision(failed.attempts, 0, true);
        }
        long wait = failed.backOff.nextBackOff();
        if (wait == BackOffExecution.STOP) {
            return new Decision(failed.attempts, 0, true);
        }
        return new Decision(failed.attempts, wait, false);
    }

    /** How many attempts of the record failed so far (0 when it is not failing). */
    synchronized int attempts(KinesisRecord record) {
        FailedRecord failed = failing.get(LowWatermark.positionOf(record));
        return (failed != null) ? failed.attempts : 0;
    }

    /** The record succeeded or was recovered: its state goes. */
    synchronized void clear(KinesisRecord record) {
        failing.remove(LowWatermark.positionOf(record));
    }

    /** How many records are failing now. */
    synchronized int size() {
        return failing.size();
    }
}
