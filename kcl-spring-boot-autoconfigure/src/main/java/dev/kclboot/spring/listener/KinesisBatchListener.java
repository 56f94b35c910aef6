package dev.kclboot.spring.listener;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;

/**
 * Receives the records of one read from a shard together, in shard order.
 */
@FunctionalInterface
public interface KinesisBatchListener extends KinesisMessageListener {

    /**
     * Processes a batch; throwing makes the container retry the whole batch with its backoff (or, with
     * {@code bisectOnError}, split it in halves). Throw a {@link BatchListenerFailedException} to name the record
     * that failed: the records before it are done and the delivery resumes at it.
     * @param records the records, never empty
     * @param metadata the metadata of each record, in the same order
     * @param checkpointer in {@link CheckpointMode#MANUAL} mode, checkpoints up to the last record of this batch with
     * {@code checkpoint()}
     * @throws Exception when the batch failed
     */
    void onBatch(List<KinesisRecord> records, List<KinesisRecordMetadata> metadata, Checkpointer checkpointer)
            throws Exception;
}
