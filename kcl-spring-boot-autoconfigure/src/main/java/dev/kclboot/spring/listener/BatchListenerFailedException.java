package dev.kclboot.spring.listener;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a batch listener to report which record of the batch failed (Lambda's partial batch response,
 * {@code ReportBatchItemFailures}): the records before it count as done (the checkpoint may pass them, per the
 * checkpoint mode) and the delivery resumes at the failed record, with the listener's retries, back-off and
 * recoverer counted for that record. Name the record by its index in the list the listener received, or by the
 * record itself. A record the batch does not hold makes the whole batch count as failed.
 */
public class BatchListenerFailedException extends RuntimeException {

    private final int index;

    private final transient @Nullable KinesisRecord record;

    /**
     * @param message what failed
     * @param cause the failure (what the recoverer receives once the record is exhausted), or null
     * @param index the position of the failed record in the batch the listener received, from 0
     */
    public BatchListenerFailedException(String message, @Nullable Throwable cause, int index) {
        super(message, cause);
        this.index = index;
        this.record = null;
    }

    /** As {@link #BatchListenerFailedException(String, Throwable, int)} without a cause. */
    public BatchListenerFailedException(String message, int index) {
        this(message, null, index);
    }

    /**
     * @param message what failed
     * @param cause the failure (what the recoverer receives once the record is exhausted), or null
     * @param record the failed record, one of the batch
     */
    public BatchListenerFailedException(String message, @Nullable Throwable cause, KinesisRecord record) {
        super(message, cause);
        this.index = -1;
        this.record = record;
    }

    /** As {@link #BatchListenerFailedException(String, Throwable, KinesisRecord)} without a cause. */
    public BatchListenerFailedException(String message, KinesisRecord record) {
        this(message, null, record);
    }

    /** The index given, or -1 when the record was named instead. */
    public int getIndex() {
        return index;
    }

    /** The record given, or null when the index was given instead. */
    public @Nullable KinesisRecord getRecord() {
        return record;
    }

    /**
     * Where the failed record is in the batch: the index given, or the position of the record given (the same
     * object, else the same sequence and sub-sequence number); -1 when the batch does not hold it.
     */
    public int indexIn(List<KinesisRecord> batch) {
        KinesisRecord failed = record;
        if (failed == null) {
            return (index >= 0 && index < batch.size()) ? index : -1;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == failed) {
                return i;
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            KinesisRecord candidate = batch.get(i);
            if (candidate.sequenceNumber().equals(failed.sequenceNumber())
                    && candidate.subSequenceNumber() == failed.subSequenceNumber()) {
                return i;
            }
        }
        return -1;
    }
}
