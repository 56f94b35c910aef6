package dev.kclboot.core.aggregation;

import org.jspecify.annotations.Nullable;

/**
 * One user record unpacked from a valid KPL aggregate, with its keys resolved from the tables.
 *
 * @param subSequenceNumber its index in the aggregate
 * @param partitionKey its partition key
 * @param explicitHashKey its explicit hash key (a checked decimal number), or {@code null}
 * @param dataOffset where its payload starts in the aggregate's byte array
 * @param dataLength length of its payload
 */
record UserRecord(int subSequenceNumber, String partitionKey, @Nullable String explicitHashKey, int dataOffset,
        int dataLength) {
}
