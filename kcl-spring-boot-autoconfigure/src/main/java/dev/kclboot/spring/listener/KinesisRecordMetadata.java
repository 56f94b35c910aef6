package dev.kclboot.spring.listener;

import java.time.Instant;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * Where a record came from: a listener method parameter, and what a {@link KinesisRecordRecoverer} receives.
 * @param streamName the stream the record was read from
 * @param shardId the shard the record was read from
 * @param sequenceNumber the record's sequence number
 * @param subSequenceNumber the position inside a KPL aggregate, 0 for records that were not aggregated
 * @param partitionKey the record's partition key
 * @param explicitHashKey the explicit hash key the producer set, else null
 * @param approximateArrivalTimestamp when Kinesis accepted the record, when known
 */
public record KinesisRecordMetadata(String streamName, String shardId, String sequenceNumber, long subSequenceNumber,
        String partitionKey, @Nullable String explicitHashKey, @Nullable Instant approximateArrivalTimestamp) {

    /** The metadata of a record read from the given stream. */
    public static KinesisRecordMetadata of(String streamName, KinesisRecord record) {
        return new KinesisRecordMetadata(streamName, record.shardId(), record.sequenceNumber(),
                record.subSequenceNumber(), record.partitionKey(), record.explicitHashKey(),
                record.approximateArrivalTimestamp());
    }
}
