package dev.kclboot.core.aggregation;

/**
 * Hears what {@link RecordDeaggregator} could not deliver as user records, so that nothing is dropped or degraded
 * silently. Both methods default to doing nothing; implementations must be thread-safe (shards are unpacked in
 * parallel) and quick. An exception thrown here is logged and otherwise ignored.
 *
 * @see MicrometerDeaggregationListener
 */
public interface DeaggregationListener {

    /** A listener that ignores everything. */
    DeaggregationListener NONE = new DeaggregationListener() {
    };

    /**
     * A record started with the KPL magic but was not a valid aggregate (MD5 mismatch, truncated, bad protobuf,
     * table index out of range, bad explicit hash key). It was delivered unchanged, as one non-aggregated record.
     *
     * @param shardId the shard it was read from
     * @param sequenceNumber its sequence number
     * @param reason what was wrong, for logs
     */
    default void corruptAggregate(String shardId, String sequenceNumber, String reason) {
    }

    /**
     * User records of an aggregate were dropped because their hash key lies outside the shard's hash key range, as
     * the KCL drops them (an aggregate put with a stale shard map can carry user records of a sibling shard).
     *
     * @param shardId the shard the aggregate was read from
     * @param sequenceNumber the aggregate's sequence number
     * @param dropped how many of its user records were dropped (at least 1)
     */
    default void userRecordsFiltered(String shardId, String sequenceNumber, int dropped) {
    }
}
