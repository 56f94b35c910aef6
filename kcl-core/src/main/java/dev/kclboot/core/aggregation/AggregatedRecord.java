package dev.kclboot.core.aggregation;

import java.util.List;

/**
 * The decoded protobuf {@code AggregatedRecord} of a KPL aggregate, as written: key tables plus user records that
 * point into them. Indexes are not checked here; {@link AggregateDecoder} does that.
 *
 * @param partitionKeys {@code partition_key_table} (field 1)
 * @param explicitHashKeys {@code explicit_hash_key_table} (field 2)
 * @param records {@code records} (field 3)
 */
record AggregatedRecord(List<String> partitionKeys, List<String> explicitHashKeys, List<Entry> records) {

    /**
     * One protobuf {@code Record}. Its payload stays in the aggregate's byte array ({@code dataOffset},
     * {@code dataLength}) so that unpacking copies nothing.
     *
     * @param partitionKeyIndex {@code partition_key_index} (field 1), unsigned
     * @param explicitHashKeyIndex {@code explicit_hash_key_index} (field 2), unsigned; meaningful only when
     *        {@code hasExplicitHashKeyIndex}, since every 64-bit value is a legal index and none can mean "absent"
     * @param hasExplicitHashKeyIndex whether field 2 was present
     * @param dataOffset where {@code data} (field 3) starts in the aggregate's byte array
     * @param dataLength length of {@code data}
     */
    record Entry(long partitionKeyIndex, long explicitHashKeyIndex, boolean hasExplicitHashKeyIndex, int dataOffset,
            int dataLength) {
    }
}
