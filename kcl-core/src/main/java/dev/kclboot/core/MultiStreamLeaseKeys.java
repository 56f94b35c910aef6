package dev.kclboot.core;

/**
 * How lease keys name their stream when one lease table holds several streams. A single-stream table always uses the
 * plain shard id, as the KCL does.
 */
public enum MultiStreamLeaseKeys {

    /** {@code streamName:shardId}: short and readable; the KCL's multi-stream mode does not read it. */
    STREAM_NAME,

    /**
     * The KCL's multi-stream form {@code account:streamName:creationEpoch:shardId}, with the {@code streamName} and
     * {@code shardId} attributes the KCL writes, so a multi-stream table moves to and from the KCL's multi-stream
     * mode. The account and the creation time come from DescribeStreamSummary at the start.
     */
    KCL
}
