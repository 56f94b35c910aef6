package dev.kclboot.core.stream;

import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/**
 * A stream as configured (name or ARN) with its name, and the lease-key scheme of its table: plain shard ids when the
 * table holds one stream (KCL-compatible), otherwise a prefix before the shard id: {@code streamName:} by default, or
 * the KCL multi-stream form {@code account:streamName:creationEpoch:}.
 * @param nameOrArn as configured
 * @param streamName the name (the last part of an ARN)
 * @param keyPrefix what lease keys of this stream start with ("" in a single-stream table)
 */
public record StreamRef(String nameOrArn, String streamName, String keyPrefix) {

    /** A stream of a single-stream table, or of a multi-stream table with {@code streamName:shardId} keys. */
    public static StreamRef of(String nameOrArn, boolean multiStream) {
        String name = nameOf(nameOrArn);
        return new StreamRef(nameOrArn, name, multiStream ? name + ":" : "");
    }

    /**
     * A stream of a multi-stream table with the KCL's keys, {@code account:streamName:creationEpoch:shardId}, so the
     * table moves to and from the KCL's multi-stream mode.
     */
    public static StreamRef kclMultiStream(String nameOrArn, String accountId, long creationEpochSeconds) {
        String name = nameOf(nameOrArn);
        return new StreamRef(nameOrArn, name, accountId + ":" + name + ":" + creationEpochSeconds + ":");
    }

    static String nameOf(String nameOrArn) {
        if (isArn(nameOrArn)) {
            int slash = nameOrArn.lastIndexOf('/');
            return slash < 0 ? nameOrArn : nameOrArn.substring(slash + 1);
        }
        return nameOrArn;
    }

    private static boolean isArn(String value) {
        return value.startsWith("arn:");
    }

    public boolean isArn() {
        return isArn(nameOrArn);
    }

    /** Whether the table holds several streams (lease keys carry a prefix). */
    public boolean multiStream() {
        return !keyPrefix.isEmpty();
    }

    public String leaseKey(String shardId) {
        return keyPrefix + shardId;
    }

    /** Whether a lease key belongs to this stream. */
    public boolean owns(String leaseKey) {
        return keyPrefix.isEmpty() ? leaseKey.indexOf(':') < 0 : leaseKey.startsWith(keyPrefix)
                && leaseKey.indexOf(':', keyPrefix.length()) < 0;
    }

    public String shardIdOf(String leaseKey) {
        return leaseKey.substring(keyPrefix.length());
    }

    public ListShardsRequest.Builder applyTo(ListShardsRequest.Builder request) {
        return isArn() ? request.streamARN(nameOrArn) : request.streamName(nameOrArn);
    }

    public GetShardIteratorRequest.Builder applyTo(GetShardIteratorRequest.Builder request) {
        return isArn() ? request.streamARN(nameOrArn) : request.streamName(nameOrArn);
    }

    public DescribeStreamSummaryRequest.Builder applyTo(DescribeStreamSummaryRequest.Builder request) {
        return isArn() ? request.streamARN(nameOrArn) : request.streamName(nameOrArn);
    }

    @Override
    public String toString() {
        return streamName;
    }
}
