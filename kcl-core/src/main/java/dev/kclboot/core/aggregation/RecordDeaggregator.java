package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Turns the Kinesis records of a shard into the records a processor sees, unpacking those the Kinesis Producer
 * Library aggregated, as the KCL does. The single entry point is
 * {@link #deaggregate(String, Record, HashKeyRange)}.
 * <ul>
 * <li>A record without the KPL magic ({@code F3 89 9A C2}) is one {@link KinesisRecord}: sub-sequence number 0,
 * not aggregated, never filtered.</li>
 * <li>A valid aggregate gives one {@code KinesisRecord} per user record, with the Kinesis record's sequence number
 * and arrival time, its index in the aggregate as sub-sequence number, its own partition key and explicit hash key,
 * and {@code aggregated} true. The payloads are read-only views of the Kinesis record's bytes: nothing is copied
 * (so a user record kept by the application keeps its whole Kinesis record, at most 1 MB, reachable).</li>
 * <li>Given the shard's {@link HashKeyRange}, user records whose hash key lies outside it are dropped (see
 * below). The others keep their index as sub-sequence number, so numbers can have gaps.</li>
 * <li>A record with the magic that is not a valid aggregate (MD5 mismatch, truncated, bad protobuf, table index out
 * of range, malformed explicit hash key) is delivered unchanged as one non-aggregated record, logged at WARN with
 * shard and sequence number, and reported to the {@link DeaggregationListener}. Bad data never throws and never
 * stops the shard.</li>
 * </ul>
 *
 * <h2>Where this differs from the KCL ({@code AggregatorUtil}), deliberately</h2>
 * <ul>
 * <li>Hash range filtering drops only the user records outside the range. The KCL drops the whole aggregate at the
 * first such record (and any it already unpacked), losing the in-range records too.</li>
 * <li>A bad table index makes the whole record be delivered unchanged. The KCL logs an error, delivers the user
 * records before the bad one and loses the rest.</li>
 * <li>A valid aggregate holding no user records (including an empty protobuf, i.e. magic followed directly by
 * the MD5 of nothing) gives no records. The KCL delivers a 20-byte record with an empty protobuf unchanged, but
 * gives no records for a non-empty one without user records; we treat both alike.</li>
 * <li>An explicit hash key that is not a decimal number in [0, 2^128 - 1] makes the aggregate corrupt, whether or
 * not a range is given. The KCL passes it on when it does not filter, and fails part-way as above when it does.</li>
 * <li>Magic followed by fewer than 16 bytes is reported as a corrupt aggregate. The KCL silently delivers it as a
 * plain record. Payloads that really start with these bytes are unlikely: they are not valid UTF-8, so no text or
 * JSON payload does.</li>
 * </ul>
 *
 * <h2>Why a hand-written protobuf reader, not {@code protobuf-java}</h2>
 * The KPL format is frozen and tiny: three proto2 messages, nine fields, two wire types. Reading it takes two small
 * classes ({@code ProtobufReader}, {@code AggregatedRecordParser}: under 300 lines with their comments), while
 * {@code protobuf-java} would add a 1.9 MB jar, generated code (so {@code protoc} in the build, or checked-in
 * sources tied to one runtime version), and a version that users' own protobuf and gRPC dependencies must agree
 * with: protobuf-java 3.x and 4.x generated code do not mix, a common dependency-convergence trap, and this
 * project's point is to be far lighter than the KCL's 129 jars. The reader also leaves payloads in place instead of
 * copying each into a {@code ByteString}. The risk, a reader that subtly differs from protobuf's, is covered by
 * tests that check it against protobuf-java itself (a test-only dependency): on random aggregates protobuf-java
 * encodes, with unknown fields, and on thousands of damaged ones, which must be accepted exactly when protobuf-java
 * accepts them. The two known differences concern bytes no KPL writes (see {@code ProtobufReader}): groups are
 * refused, and a varint longer than 10 bytes is always refused.
 *
 * <p>Instances are stateless apart from the listener and are safe to share between shards and threads.
 */
public final class RecordDeaggregator {

    private static final Logger logger = LoggerFactory.getLogger(RecordDeaggregator.class);

    private final DeaggregationListener listener;

    /** A de-aggregator that only logs problems. */
    public RecordDeaggregator() {
        this(DeaggregationListener.NONE);
    }

    /** A de-aggregator that logs problems and reports them to {@code listener}. */
    public RecordDeaggregator(DeaggregationListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The records a processor sees for one Kinesis record.
     *
     * @param shardId the shard the record was read from
     * @param record the record as GetRecords or SubscribeToShard returned it (it must carry a sequence number)
     * @param shardRange the shard's hash key range, to drop aggregated user records that belong to another shard;
     *        {@code null} to drop nothing (when the range is unknown)
     * @return one record for a plain or corrupt record; the user records of an aggregate that hash into the range
     *         (possibly none), in aggregate order. A new, modifiable list.
     * @throws NullPointerException if {@code shardId} or the record's sequence number is null (a caller's bug; bad
     *         data never throws)
     */
    public List<KinesisRecord> deaggregate(String shardId, Record record, @Nullable HashKeyRange shardRange) {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(record.sequenceNumber(), "record.sequenceNumber");
        byte[] data = bytesOf(record);
        if (!AggregateDecoder.hasMagic(data)) {
            return plain(shardId, record);
        }
        List<UserRecord> userRecords;
        try {
            userRecords = AggregateDecoder.decode(data);
        }
        catch (InvalidAggregateException ex) {
            return corrupt(shardId, record, Objects.requireNonNullElse(ex.getMessage(), "invalid aggregate"), null);
        }
        catch (RuntimeException ex) {
            // Not expected (the decoder checks every bound), but a bug here must not stop the shard either.
            return corrupt(shardId, record, "unexpected " + ex, ex);
        }
        return unpack(shardId, record, data, userRecords, shardRange);
    }

    /**
     * {@link #deaggregate(String, Record, HashKeyRange)} for each record of a batch, in order.
     */
    public List<KinesisRecord> deaggregate(String shardId, List<Record> records, @Nullable HashKeyRange shardRange) {
        List<KinesisRecord> result = new ArrayList<>(records.size());
        for (Record record : records) {
            result.addAll(deaggregate(shardId, record, shardRange));
        }
        return result;
    }

    private List<KinesisRecord> unpack(String shardId, Record record, byte[] data, List<UserRecord> userRecords,
            @Nullable HashKeyRange shardRange) {
        List<KinesisRecord> result = new ArrayList<>(userRecords.size());
        // The KPL puts each partition key in its table once; hash each once too.
        Map<String, BigInteger> partitionKeyHashes = new HashMap<>();
        int dropped = 0;
        for (UserRecord userRecord : userRecords) {
            if (shardRange != null && !shardRange.contains(hashKey(userRecord, partitionKeyHashes))) {
                dropped++;
                continue;
            }
            result.add(KinesisRecord.builder()
                    .shardId(shardId)
                    .sequenceNumber(record.sequenceNumber())
                    .subSequenceNumber(userRecord.subSequenceNumber())
                    .aggregated(true)
                    .partitionKey(userRecord.partitionKey())
                    .explicitHashKey(userRecord.explicitHashKey())
                    .approximateArrivalTimestamp(record.approximateArrivalTimestamp())
                    .data(ByteBuffer.wrap(data, userRecord.dataOffset(), userRecord.dataLength()).slice())
                    .build());
        }
        if (dropped > 0) {
            logger.debug("Shard {} record {}: dropped {} of {} user records outside hash key range {}", shardId,
                    record.sequenceNumber(), dropped, userRecords.size(), shardRange);
            int droppedCount = dropped;
            notifyListener(() -> listener.userRecordsFiltered(shardId, record.sequenceNumber(), droppedCount));
        }
        return result;
    }

    private static BigInteger hashKey(UserRecord userRecord, Map<String, BigInteger> partitionKeyHashes) {
        if (userRecord.explicitHashKey() != null) {
            return HashKeys.effective(userRecord.partitionKey(), userRecord.explicitHashKey());
        }
        return partitionKeyHashes.computeIfAbsent(userRecord.partitionKey(), key -> HashKeys.effective(key, null));
    }

    private List<KinesisRecord> corrupt(String shardId, Record record, String reason, @Nullable Throwable bug) {
        // A data problem is fully told by its reason; a stack trace is only worth printing for a bug of ours.
        logger.warn("Shard {} record {} starts like a KPL aggregate but is not a valid one ({}); delivering it "
                + "unchanged as a single record", shardId, record.sequenceNumber(), reason, bug);
        notifyListener(() -> listener.corruptAggregate(shardId, record.sequenceNumber(), reason));
        return plain(shardId, record);
    }

    private static List<KinesisRecord> plain(String shardId, Record record) {
        List<KinesisRecord> result = new ArrayList<>(1);
        result.add(KinesisRecord.builder()
                .shardId(shardId)
                .sequenceNumber(record.sequenceNumber())
                .subSequenceNumber(0)
                .aggregated(false)
                // Kinesis requires a partition key on every record; an emulator that omits it must not stop us.
                .partitionKey(Objects.requireNonNullElse(record.partitionKey(), ""))
                .approximateArrivalTimestamp(record.approximateArrivalTimestamp())
                .data(ByteBuffer.wrap(bytesOf(record)))
                .build());
        return result;
    }

    private static byte[] bytesOf(Record record) {
        SdkBytes data = record.data();
        // The SDK unmarshals into a byte array it then owns; reading it without a copy is safe since we never write.
        return data == null ? new byte[0] : data.asByteArrayUnsafe();
    }

    private void notifyListener(Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException ex) {
            logger.warn("DeaggregationListener {} failed; ignored", listener, ex);
        }
    }
}
