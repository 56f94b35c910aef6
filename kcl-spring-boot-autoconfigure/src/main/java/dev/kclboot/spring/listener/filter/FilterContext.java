package dev.kclboot.spring.listener.filter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The root object of a filter expression: {@code data} (the payload as UTF-8 text), {@code partitionKey},
 * {@code explicitHashKey}, {@code sequenceNumber}, {@code subSequenceNumber}, {@code shardId}, {@code stream},
 * {@code approximateArrivalTimestamp}, and the whole {@code record} and {@code metadata}.
 */
public final class FilterContext {

    private final KinesisRecord record;

    private final KinesisRecordMetadata metadata;

    private @Nullable String data;

    FilterContext(KinesisRecord record, KinesisRecordMetadata metadata) {
        this.record = record;
        this.metadata = metadata;
    }

    public KinesisRecord getRecord() {
        return record;
    }

    public KinesisRecordMetadata getMetadata() {
        return metadata;
    }

    /** The payload as UTF-8 text, decoded on first use. */
    public String getData() {
        String text = data;
        if (text == null) {
            text = new String(record.dataBytes(), StandardCharsets.UTF_8);
            data = text;
        }
        return text;
    }

    public String getPartitionKey() {
        return record.partitionKey();
    }

    public @Nullable String getExplicitHashKey() {
        return record.explicitHashKey();
    }

    public String getSequenceNumber() {
        return record.sequenceNumber();
    }

    public long getSubSequenceNumber() {
        return record.subSequenceNumber();
    }

    public String getShardId() {
        return record.shardId();
    }

    public String getStream() {
        return metadata.streamName();
    }

    public @Nullable Instant getApproximateArrivalTimestamp() {
        return record.approximateArrivalTimestamp();
    }
}
