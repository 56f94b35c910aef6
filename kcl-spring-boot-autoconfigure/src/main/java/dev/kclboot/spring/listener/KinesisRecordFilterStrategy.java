package dev.kclboot.spring.listener;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Decides which records reach a listener (Lambda's {@code FilterCriteria}): a record it does not accept is never
 * passed to the listener, counts as done (the checkpoint may pass it) and is counted in
 * {@code kcl.records.filtered}. Name a bean of this type in {@code @KinesisListener(filter = "...")}, or write a
 * SpEL expression there instead (see {@link dev.kclboot.spring.listener.filter.ExpressionRecordFilter}).
 * <p>
 * Called on the delivery thread before the listener, once per record. A strategy that throws does not drop the
 * record: it is delivered (and the failure logged), so a broken filter never loses data.
 */
@FunctionalInterface
public interface KinesisRecordFilterStrategy {

    /**
     * @param record the record, with its payload
     * @param metadata stream, shard, sequence number, partition key and arrival time
     * @return true to deliver the record to the listener, false to filter it out
     */
    boolean accept(KinesisRecord record, KinesisRecordMetadata metadata);
}
