package dev.kclboot.spring.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Builds the spring-messaging {@link Message}s a listener method is invoked with: one per record (payload: the
 * record's bytes), or one per batch (payload: the batch's payloads, per-record headers as lists), with the
 * {@link KinesisHeaders}.
 */
public final class KinesisMessages {

    private KinesisMessages() {
    }

    /**
     * The message of one record.
     * @param checkpointer the listener's checkpointer in MANUAL mode, else null (see {@link KinesisHeaders#CHECKPOINTER})
     */
    public static Message<byte[]> record(KinesisRecord record, KinesisRecordMetadata metadata,
            @Nullable Checkpointer checkpointer) {
        Map<String, Object> headers = new HashMap<>(16);
        headers.put(KinesisHeaders.STREAM, metadata.streamName());
        headers.put(KinesisHeaders.SHARD_ID, record.shardId());
        headers.put(KinesisHeaders.SEQUENCE_NUMBER, record.sequenceNumber());
        headers.put(KinesisHeaders.SUB_SEQUENCE_NUMBER, record.subSequenceNumber());
        headers.put(KinesisHeaders.PARTITION_KEY, record.partitionKey());
        putIfPresent(headers, KinesisHeaders.EXPLICIT_HASH_KEY, record.explicitHashKey());
        putIfPresent(headers, KinesisHeaders.ARRIVAL_TIME, record.approximateArrivalTimestamp());
        headers.put(KinesisHeaders.RECORD, record);
        headers.put(KinesisHeaders.RECORD_METADATA, metadata);
        putIfPresent(headers, KinesisHeaders.CHECKPOINTER, checkpointer);
        return new GenericMessage<>(record.dataBytes(), new KinesisMessageHeaders(headers));
    }

    /**
     * The message of a batch from one shard.
     * @param payloads the payload of each record, converted to what the method takes, in record order
     * @param checkpointer the listener's checkpointer in MANUAL mode, else null
     */
    public static <T> Message<List<T>> batch(List<T> payloads, List<KinesisRecord> records,
            List<KinesisRecordMetadata> metadata, @Nullable Checkpointer checkpointer) {
        int size = records.size();
        List<String> sequenceNumbers = new ArrayList<>(size);
        List<Long> subSequenceNumbers = new ArrayList<>(size);
        List<String> partitionKeys = new ArrayList<>(size);
        List<@Nullable String> explicitHashKeys = new ArrayList<>(size);
        List<@Nullable Object> arrivalTimes = new ArrayList<>(size);
        for (KinesisRecord record : records) {
            sequenceNumbers.add(record.sequenceNumber());
            subSequenceNumbers.add(record.subSequenceNumber());
            partitionKeys.add(record.partitionKey());
            explicitHashKeys.add(record.explicitHashKey());
            arrivalTimes.add(record.approximateArrivalTimestamp());
        }
        Map<String, Object> headers = new HashMap<>(16);
        headers.put(KinesisHeaders.STREAM, metadata.get(0).streamName());
        headers.put(KinesisHeaders.SHARD_ID, records.get(0).shardId());
        headers.put(KinesisHeaders.SEQUENCE_NUMBER, sequenceNumbers);
        headers.put(KinesisHeaders.SUB_SEQUENCE_NUMBER, subSequenceNumbers);
        headers.put(KinesisHeaders.PARTITION_KEY, partitionKeys);
        headers.put(KinesisHeaders.EXPLICIT_HASH_KEY, explicitHashKeys);
        headers.put(KinesisHeaders.ARRIVAL_TIME, arrivalTimes);
        headers.put(KinesisHeaders.RECORD, records);
        headers.put(KinesisHeaders.RECORD_METADATA, metadata);
        putIfPresent(headers, KinesisHeaders.CHECKPOINTER, checkpointer);
        return new GenericMessage<>(payloads, new KinesisMessageHeaders(headers));
    }

    private static void putIfPresent(Map<String, Object> headers, String name, @Nullable Object value) {
        if (value != null) {
            headers.put(name, value);
        }
    }
}
