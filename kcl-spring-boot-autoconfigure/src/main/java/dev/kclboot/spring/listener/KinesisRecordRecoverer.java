package dev.kclboot.spring.listener;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Receives a record that could not be processed: its payload could not be converted, or the listener still failed
 * after the maximum number of attempts. A dead-letter hook: write the record to another stream, a queue or a table.
 * <p>
 * Returning normally means the record is recovered: the checkpoint may pass it and later records go on. Throwing
 * means it is not: the container calls the recoverer again after a backoff, and the shard waits.
 */
@FunctionalInterface
public interface KinesisRecordRecoverer {

    /**
     * Recovers one record.
     * @param record the record, with its payload
     * @param metadata stream, shard, sequence number, partition key and arrival time of the record
     * @param failure why the record failed: the listener's last exception, or a {@link dev.kclboot.spring.listener.recovery.PayloadConversionException}
     * @throws Exception when the record could not be recovered; it is offered again after a backoff
     */
    void recover(KinesisRecord record, KinesisRecordMetadata metadata, Exception failure) throws Exception;
}
