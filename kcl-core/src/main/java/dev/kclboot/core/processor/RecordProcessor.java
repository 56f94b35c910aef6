package dev.kclboot.core.processor;

import dev.kclboot.core.record.KinesisRecord;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;

/**
 * Processes the records of one shard, the way the KCL's record processor does. The engine makes one instance per
 * shard lease (through a {@link RecordProcessorFactory}) and calls it from a single thread: {@link #initialize} once,
 * then {@link #processRecords} for each batch in order, then {@link #shutdown} once.
 * <p>
 * Delivery is at least once: nothing is checkpointed unless the processor calls the {@link Checkpointer}. When
 * {@code processRecords} throws, the same batch is delivered again after a backoff (unless the worker was built to
 * skip failed batches as the KCL does).
 */
public interface RecordProcessor {

    /**
     * Called once before the first batch.
     * @param shardId the shard this processor consumes
     */
    void initialize(String shardId);

    /**
     * Processes one batch of records, in shard order.
     * @param records the records, never empty
     * @param checkpointer records progress; valid up to the last record of this batch
     */
    void processRecords(List<KinesisRecord> records, Checkpointer checkpointer);

    /**
     * Called once when the processor stops.
     * @param checkpointer for {@link ShutdownReason#TERMINATE} call {@code checkpoint()} to record SHARD_END (the
     * children of the shard start only after that); for {@link ShutdownReason#REQUESTED} checkpoint what is done;
     * for {@link ShutdownReason#ZOMBIE} checkpointing is refused
     * @param reason why the processor stops
     */
    void shutdown(Checkpointer checkpointer, ShutdownReason reason);
}
