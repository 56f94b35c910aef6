package dev.kclboot.test.kpl;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A Kinesis record in the KPL aggregated format, built the way the Kinesis Producer Library builds one:
 * <pre>
 * F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
 *
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * message Tag    { required string key = 1; optional string value = 2; }
 * </pre>
 * Keys repeated across user records share one table entry, as the KPL does. Unlike the KPL, a single user record
 * is still aggregated (the KPL sends it plain), so tests control exactly what goes on the stream.
 * <p>
 * To put it on a stream, use {@link #bytes()} as the data, {@link #partitionKey()} and {@link #explicitHashKey()}:
 * the KPL routes an aggregate by its first user record, so it lands on the shard that record hashes to.
 */
public final class KplAggregate {

    private static final byte[] MAGIC = { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 };

    private final List<KplUserRecord> userRecords;

    private final byte[] protobuf;

    private KplAggregate(List<KplUserRecord> userRecords) {
        this.userRecords = List.copyOf(userRecords);
        this.protobuf = encode(this.userRecords);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An aggregate of the given user records, in order. */
    public static KplAggregate of(List<KplUserRecord> userRecords) {
        return new KplAggregate(userRecords);
    }

    /**
     * Frames any protobuf bytes as a KPL aggregate: magic, the bytes, their MD5. For tests that need a message the
     * builder would not write.
     */
    public static byte[] frame(byte[] protobufBytes) {
        byte[] digest = md5(protobufBytes);
        byte[] framed = new byte[MAGIC.length + protobufBytes.length + digest.length];
        System.arraycopy(MAGIC, 0, framed, 0, MAGIC.length);
        System.arraycopy(protobufBytes, 0, framed, MAGIC.length, protobufBytes.length);
        System.arraycopy(digest, 0, framed, MAGIC.length + protobufBytes.length, digest.length);
        return framed;
    }

    /** The magic bytes that open every KPL aggregate. */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /** The complete Kinesis record data: magic, protobuf, MD5. */
    public byte[] bytes() {
        return frame(protobuf);
    }

    /** The protobuf {@code AggregatedRecord} alone, without magic or MD5. */
    public byte[] protobufBytes() {
        return protobuf.clone();
    }

    /** The user records, in aggregate order (their index is the sub-sequence number a consumer sees). */
    public List<KplUserRecord> userRecords() {
        return userRecords;
    }

    /** The partition key to put the aggregate with: the first user record's, as the KPL does. */
    public String partitionKey() {
        if (userRecords.isEmpty()) {
            return "a";
        }
        return userRecords.get(0).partitionKey();
    }

    /**
     * The explicit hash key to put the aggregate with, so it lands where its first user record belongs: that
     * record's explicit hash key, else the MD5 of its partition key as a decimal unsigned 128-bit number.
     */
    public @Nullable String explicitHashKey() {
        if (userRecords.isEmpty()) {
            return null;
        }
        KplUserRecord first = userRecords.get(0);
        if (first.explicitHashKey() != null) {
            return first.explicitHashKey();
        }
        return new BigInteger(1, md5(first.partitionKey().getBytes(StandardCharsets.UTF_8))).toString();
    }

    private static byte[] encode(List<KplUserRecord> userRecords) {
        // Tables first (insertion order = index), then records pointing into them: the KPL's layout.
        Map<String, Integer> partitionKeys = new LinkedHashMap<>();
        Map<String, Integer> explicitHashKeys = new LinkedHashMap<>();
        List<ProtobufWriter> records = new ArrayList<>(userRecords.size());
        for (KplUserRecord userRecord : userRecords) {
            ProtobufWriter record = new ProtobufWriter();
            record.varintField(1, indexOf(partitionKeys, userRecord.partitionKey()));
            if (userRecord.explicitHashKey() != null) {
                record.varintField(2, indexOf(explicitHashKeys, userRecord.explicitHashKey()));
            }
            record.bytesField(3, userRecord.data());
            userRecord.tags().forEach((key, value) -> {
                ProtobufWriter tag = new ProtobufWriter().stringField(1, key);
                if (value != null) {
                    tag.stringField(2, value);
                }
                record.messageField(4, tag);
            });
            records.add(record);
        }
        ProtobufWriter aggregate = new ProtobufWriter();
        partitionKeys.keySet().forEach(key -> aggregate.stringField(1, key));
        explicitHashKeys.keySet().forEach(key -> aggregate.stringField(2, key));
        records.forEach(record -> aggregate.messageField(3, record));
        return aggregate.toByteArray();
    }

    private static int indexOf(Map<String, Integer> table, String key) {
        return table.computeIfAbsent(key, k -> table.size());
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        }
        catch (NoSuchAlgorithmException ex) {
            // Every Java platform must provide MD5 (java.security.MessageDigest's Javadoc).
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Collects user records for a {@link KplAggregate}.
     */
    public static final class Builder {

        private final List<KplUserRecord> userRecords = new ArrayList<>();

        private Builder() {
        }

        public Builder add(String partitionKey, byte[] data) {
            return add(new KplUserRecord(partitionKey, null, data));
        }

        public Builder add(String partitionKey, String data) {
            return add(partitionKey, data.getBytes(StandardCharsets.UTF_8));
        }

        public Builder add(String partitionKey, @Nullable String explicitHashKey, byte[] data) {
            return add(new KplUserRecord(partitionKey, explicitHashKey, data));
        }

        public Builder add(KplUserRecord userRecord) {
            userRecords.add(Objects.requireNonNull(userRecord, "userRecord"));
            return this;
        }

        public KplAggregate build() {
            return new KplAggregate(userRecords);
        }
    }
}
