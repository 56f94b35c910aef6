package dev.kclboot.core.processor;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * Processes the records of one shard, the way the KCL's record processor does. The engine makes one instance per
 * shard lease (through a {@link RecordProcessorFactory}) and calls it from a single thread: {@link #initialize} once,
 * then {@link #processRecords} for each batch in order, then {@link #shutdown} once.
 * <p>
 * Delivery is at least once: nothing is checkpointed unless the processor calls the {@link Checkpointer}. When
 * {@code processRecords} throws, the same batch is delivered again after a backoff (unless the worker was built to
 * skip failed batches as the KCL does); a {@link ShardFailedException} instead ends this processor's tenure.
 * <p>
 * The engine calls the forms with the lease's checkpoint and the shard's lag; their defaults call the short forms, so
 * a processor implements whichever it needs: one of the two {@code processRecords}, and {@code shutdown}
 * ({@code initialize} does nothing unless implemented).
 */
public interface RecordProcessor {

    /**
     * Called once before the first batch.
     * @param shardId the shard this processor consumes
     */
    default void initialize(String shardId) {
    }

    /**
     * Called once before the first batch, with where the shard restarts.
     * @param shardId the shard this processor consumes
     * @param checkpoint the lease's checkpoint: a sequence number (with sub-sequence number), or the sentinel
     * TRIM_HORIZON, LATEST, AT_TIMESTAMP for a shard never checkpointed
     */
    default void initialize(String shardId, ExtendedSequenceNumber checkpoint) {
        initialize(shardId);
    }

    /**
     * Processes one batch of records, in shard order.
     * @param records the records, never empty
     * @param checkpointer records progress; valid up to the last record of this batch
     */
    default void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither processRecords(records, "
                + "checkpointer) nor processRecords(records, checkpointer, millisBehindLatest)");
    }

    /**
     * Processes one batch of records, in shard order, knowing how far the shard's reader is behind its tip.
     * @param records the records, never empty
     * @param checkpointer records progress; valid up to the last record of this batch
     * @param millisBehindLatest how far behind the tip of the shard the read of this batch was, null if unknown
     */
    default void processRecords(List<KinesisRecord> records, Checkpointer checkpointer,
            @Nullable Long millisBehindLatest) {
        processRecords(records, checkpointer);
    }

    /**
     * Called once when the processor stops.
     * @param checkpointer for {@link ShutdownReason#TERMINATE} call {@code checkpoint()} to record SHARD_END (the
     * children of the shard start only after that); for {@link ShutdownReason#REQUESTED} checkpoint what is done;
     * for {@link ShutdownReason#ZOMBIE} checkpointing is refused
     * @param reason why the processor stops
     */
    void shutdown(Checkpointer checkpointer, ShutdownReason reason);
}
