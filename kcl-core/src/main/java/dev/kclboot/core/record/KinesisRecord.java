package dev.kclboot.core.record;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One record as a processor sees it. For a record the Kinesis Producer Library aggregated, each user record is one
 * {@code KinesisRecord} with the sequence number of the Kinesis record that carried it, its own sub-sequence number
 * (0..n-1), partition key and explicit hash key, and {@link #aggregated()} true. Otherwise the sub-sequence number
 * is 0.
 */
public final class KinesisRecord {

    private final String shardId;

    private final String sequenceNumber;

    private final long subSequenceNumber;

    private final boolean aggregated;

    private final String partitionKey;

    private final @Nullable String explicitHashKey;

    private final @Nullable Instant approximateArrivalTimestamp;

    private final ByteBuffer data;

    private KinesisRecord(Builder builder) {
        this.shardId = Objects.requireNonNull(builder.shardId, "shardId");
        this.sequenceNumber = Objects.requireNonNull(builder.sequenceNumber, "sequenceNumber");
        this.subSequenceNumber = builder.subSequenceNumber;
        this.aggregated = builder.aggregated;
        this.partitionKey = Objects.requireNonNull(builder.partitionKey, "partitionKey");
        this.explicitHashKey = builder.explicitHashKey;
        this.approximateArrivalTimestamp = builder.approximateArrivalTimestamp;
        ByteBuffer data = Objects.requireNonNull(builder.data, "data");
        this.data = data.isReadOnly() ? data : data.asReadOnlyBuffer();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shard the record was read from. */
    public String shardId() {
        return shardId;
    }

    public String sequenceNumber() {
        return sequenceNumber;
    }

    /** Position inside a KPL aggregate; 0 for records that were not aggregated. */
    public long subSequenceNumber() {
        return subSequenceNumber;
    }

    /** Whether this is a user record unpacked from a KPL aggregate. */
    public boolean aggregated() {
        return aggregated;
    }

    public String partitionKey() {
        return partitionKey;
    }

    public @Nullable String explicitHashKey() {
        return explicitHashKey;
    }

    public @Nullable Instant approximateArrivalTimestamp() {
        return approximateArrivalTimestamp;
    }

    /** The payload as the producer wrote it (raw bytes, not Base64); a read-only view with its own position. */
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** The payload's size in bytes. */
    public int dataLength() {
        return data.remaining();
    }

    /** A copy of the payload. */
    public byte[] dataBytes() {
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "KinesisRecord{shardId=" + shardId + ", sequenceNumber=" + sequenceNumber
                + (aggregated ? ", subSequenceNumber=" + subSequenceNumber : "") + ", partitionKey=" + partitionKey
                + ", bytes=" + data.remaining() + "}";
    }

    /**
     * Builds a {@link KinesisRecord}.
     */
    public static final class Builder {

        private @Nullable String shardId;

        private @Nullable String sequenceNumber;

        private long subSequenceNumber;

        private boolean aggregated;

        private @Nullable String partitionKey;

        private @Nullable String explicitHashKey;

        private @Nullable Instant approximateArrivalTimestamp;

        private @Nullable ByteBuffer data;

        private Builder() {
        }

        public Builder shardId(String shardId) {
            this.shardId = shardId;
            return this;
        }

        public Builder sequenceNumber(String sequenceNumber) {
            this.sequenceNumber = sequenceNumber;
            return this;
        }

        public Builder subSequenceNumber(long subSequenceNumber) {
            this.subSequenceNumber = subSequenceNumber;
            return this;
        }

        public Builder aggregated(boolean aggregated) {
            this.aggregated = aggregated;
            return this;
        }

        public Builder partitionKey(String partitionKey) {
            this.partitionKey = partitionKey;
            return this;
        }

        public Builder explicitHashKey(@Nullable String explicitHashKey) {
            this.explicitHashKey = explicitHashKey;
            return this;
        }

        public Builder approximateArrivalTimestamp(@Nullable Instant approximateArrivalTimestamp) {
            this.approximateArrivalTimestamp = approximateArrivalTimestamp;
            return this;
        }

        public Builder data(ByteBuffer data) {
            this.data = data;
            return this;
        }

        public Builder data(byte[] data) {
            this.data = ByteBuffer.wrap(data);
            return this;
        }

        public KinesisRecord build() {
            return new KinesisRecord(this);
        }
    }
}
