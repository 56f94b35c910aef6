package dev.kclboot.spring.support;

/**
 * The names of the message headers a {@code @KinesisListener} method can take with
 * {@link org.springframework.messaging.handler.annotation.Header @Header}, and that a {@code Message<T>} parameter
 * carries:
 * <pre>{@code
 * @KinesisListener(stream = "orders")
 * void onOrder(@Payload @Valid Order order, @Header(KinesisHeaders.SHARD_ID) String shardId,
 *         @Header(KinesisHeaders.SEQUENCE_NUMBER) String sequenceNumber) { ... }
 * }</pre>
 * For a batch listener the headers that differ per record ({@link #SEQUENCE_NUMBER}, {@link #SUB_SEQUENCE_NUMBER},
 * {@link #PARTITION_KEY}, {@link #EXPLICIT_HASH_KEY}, {@link #ARRIVAL_TIME}, {@link #RECORD},
 * {@link #RECORD_METADATA}) are {@code List}s in record order ({@code null} elements where a record has no value);
 * {@link #STREAM} and {@link #SHARD_ID} are single values, since a batch comes from one shard.
 * <p>
 * A header whose record has no value is absent: take {@link #EXPLICIT_HASH_KEY} and {@link #ARRIVAL_TIME} with
 * {@code @Header(name = ..., required = false)}.
 */
public final class KinesisHeaders {

    /** The prefix of every header name here. */
    public static final String PREFIX = "kinesis_";

    /** The stream's name (or ARN, as the listener names it), a {@code String}. */
    public static final String STREAM = PREFIX + "stream";

    /** The shard id, a {@code String}. */
    public static final String SHARD_ID = PREFIX + "shardId";

    /** The record's sequence number, a {@code String}. */
    public static final String SEQUENCE_NUMBER = PREFIX + "sequenceNumber";

    /** The position inside a KPL aggregate, a {@code Long}; 0 for records that were not aggregated. */
    public static final String SUB_SEQUENCE_NUMBER = PREFIX + "subSequenceNumber";

    /** The partition key, a {@code String}. */
    public static final String PARTITION_KEY = PREFIX + "partitionKey";

    /** The explicit hash key the producer set, a {@code String}; absent when it set none. */
    public static final String EXPLICIT_HASH_KEY = PREFIX + "explicitHashKey";

    /** When Kinesis accepted the record, an {@link java.time.Instant}; absent when not known. */
    public static final String ARRIVAL_TIME = PREFIX + "approximateArrivalTimestamp";

    /** The {@link dev.kclboot.core.record.KinesisRecord} itself. */
    public static final String RECORD = PREFIX + "record";

    /** The record's {@link dev.kclboot.spring.listener.KinesisRecordMetadata}. */
    public static final String RECORD_METADATA = PREFIX + "recordMetadata";

    /**
     * The {@link dev.kclboot.core.checkpoint.Checkpointer}, present with {@code checkpointMode = MANUAL} only (in the
     * other modes the container checkpoints, and a listener checkpointing a record before it is done could let the
     * checkpoint pass a record that then fails).
     */
    public static final String CHECKPOINTER = PREFIX + "checkpointer";

    private KinesisHeaders() {
    }
}
