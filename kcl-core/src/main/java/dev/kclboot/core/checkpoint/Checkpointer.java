package dev.kclboot.core.checkpoint;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/**
 * Records how far a processor got in its shard, in the lease table. Handed to
 * {@link dev.kclboot.core.processor.RecordProcessor#processRecords} and
 * {@link dev.kclboot.core.processor.RecordProcessor#shutdown}; bound to one shard lease.
 * <p>
 * A position below the stored checkpoint or above the last record handed over is an
 * {@link IllegalArgumentException}. When the lease is no longer held a {@link ShutdownException} is thrown, when
 * DynamoDB throttles a {@link ThrottlingException}, and other DynamoDB failures a {@link DependencyException}.
 */
public interface Checkpointer {

    /**
     * Checkpoints up to and including the last record handed to the processor; after
     * {@link dev.kclboot.core.processor.ShutdownReason#TERMINATE}, records SHARD_END.
     */
    void checkpoint();

    /** Checkpoints up to and including the record with this sequence number (all of its sub-records). */
    void checkpoint(String sequenceNumber);

    /** Checkpoints up to and including one user record of a KPL aggregate. */
    void checkpoint(String sequenceNumber, long subSequenceNumber);

    /** Checkpoints up to and including this record. */
    void checkpoint(KinesisRecord record);

    /** The shard this checkpointer writes for. */
    String shardId();

    /** The checkpoint stored for the shard as far as this worker knows. */
    ExtendedSequenceNumber lastCheckpoint();

    /**
     * Whether this worker still holds the shard's lease. A processor that retries a failing record for a long time
     * should give up when it no longer does: the shard's new owner delivers the records again from the stored
     * checkpoint, and this processor's checkpoints would be refused anyway.
     */
    default boolean isLeaseHeld() {
        return true;
    }

    /**
     * Whether the engine asked this tenure to stop gracefully (the worker shuts down, the stream is stopped, or a
     * peer asked for the lease): a processor that waits inside {@code processRecords} (for room to dispatch records,
     * say) should return, so that {@code shutdown(REQUESTED)} follows.
     */
    default boolean isStopRequested() {
        return false;
    }
}
