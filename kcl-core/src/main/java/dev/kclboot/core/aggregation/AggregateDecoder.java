package dev.kclboot.core.aggregation;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bytes of one Kinesis record in the KPL aggregated format:
 * {@code F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf (16 bytes)}.
 * <p>
 * Decoding is all or nothing: every check (length, MD5, protobuf, table indexes, explicit hash keys) passes before
 * a single user record is returned. The KCL instead hands over the user records it unpacked before hitting a bad
 * index and drops the rest with the original record; here a bad aggregate is delivered whole, unchanged.
 */
final class AggregateDecoder {

    private static final byte[] MAGIC = { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 };

    private static final int DIGEST_LENGTH = 16;

    private AggregateDecoder() {
    }

    /** Whether the bytes start with the KPL magic, i.e. claim to be an aggregate. */
    static boolean hasMagic(byte[] data) {
        if (data.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes an aggregate whose bytes start with the magic.
     *
     * @return the user records in aggregate order; empty for a valid aggregate that holds none
     * @throws InvalidAggregateException if the bytes are not a valid aggregate
     */
    static List<UserRecord> decode(byte[] data) throws InvalidAggregateException {
        int protobufOffset = MAGIC.length;
        int protobufLength = data.length - MAGIC.length - DIGEST_LENGTH;
        if (protobufLength < 0) {
            throw new InvalidAggregateException("truncated: " + data.length + " bytes, fewer than magic + MD5 ("
                    + (MAGIC.length + DIGEST_LENGTH) + ")");
        }
        byte[] expected = HashKeys.md5(data, protobufOffset, protobufLength);
        byte[] actual = new byte[DIGEST_LENGTH];
        System.arraycopy(data, protobufOffset + protobufLength, actual, 0, DIGEST_LENGTH);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new InvalidAggregateException("MD5 mismatch (corrupt or truncated aggregate)");
        }
        return resolve(AggregatedRecordParser.parse(data, protobufOffset, protobufLength));
    }

    private static List<UserRecord> resolve(AggregatedRecord aggregate) throws InvalidAggregateException {
        List<UserRecord> userRecords = new ArrayList<>(aggregate.records().size());
        // Explicit hash keys are checked once per table entry used, not once per user record.
        boolean[] checkedHashKeys = new boolean[aggregate.explicitHashKeys().size()];
        for (AggregatedRecord.Entry entry : aggregate.records()) {
            int index = userRecords.size();
            String partitionKey = aggregate.partitionKeys()
                    .get(tableIndex(entry.partitionKeyIndex(), aggregate.partitionKeys().size(), "partition", index));
            String explicitHashKey = null;
            if (entry.hasExplicitHashKeyIndex()) {
                int keyIndex = tableIndex(entry.explicitHashKeyIndex(), checkedHashKeys.length, "explicit hash",
                        index);
                explicitHashKey = aggregate.explicitHashKeys().get(keyIndex);
                if (!checkedHashKeys[keyIndex]) {
                    HashKeys.parseExplicit(explicitHashKey);
                    checkedHashKeys[keyIndex] = true;
                }
            }
            userRecords.add(new UserRecord(index, partitionKey, explicitHashKey, entry.dataOffset(),
                    entry.dataLength()));
        }
        return userRecords;
    }

    private static int tableIndex(long index, int tableSize, String table, int userRecord)
            throws InvalidAggregateException {
        // Indexes are uint64: compare unsigned so that a huge index cannot pass as a negative int.
        if (Long.compareUnsigned(index, tableSize) >= 0) {
            throw new InvalidAggregateException("user record " + userRecord + " has " + table + " key index "
                    + Long.toUnsignedString(index) + " outside its table of " + tableSize);
        }
        return (int) index;
    }
}
