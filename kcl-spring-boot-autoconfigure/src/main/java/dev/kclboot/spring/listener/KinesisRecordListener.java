package dev.kclboot.spring.listener;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;

/**
 * Receives one record at a time, in shard order.
 */
@FunctionalInterface
public interface KinesisRecordListener extends KinesisMessageListener {

    /**
     * Processes one record; throwing makes the container retry it with its backoff.
     * @param record the record
     * @param metadata where the record came from
     * @param checkpointer in {@link CheckpointMode#MANUAL} mode, checkpoints up to this record with
     * {@code checkpoint()}
     * @throws Exception when the record failed
     */
    void onRecord(KinesisRecord record, KinesisRecordMetadata metadata, Checkpointer checkpointer) throws Exception;
}
