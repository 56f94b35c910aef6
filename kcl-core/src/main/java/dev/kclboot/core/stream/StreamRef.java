package dev.kclboot.core.stream;

import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/**
 * A stream as configured (name or ARN) with its name, and the lease-key scheme of its table: plain shard ids when the
 * table holds one stream (KCL-compatible), {@code streamName:shardId} when it holds several.
 * @param nameOrArn as configured
 * @param streamName the name (the last part of an ARN)
 * @param multiStream whether lease keys carry the stream name
 */
public record StreamRef(String nameOrArn, String streamName, boolean multiStream) {

    public static StreamRef of(String nameOrArn, boolean multiStream) {
        return new StreamRef(nameOrArn, nameOf(nameOrArn), multiStream);
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

    public String leaseKey(String shardId) {
        return multiStream ? streamName + ":" + shardId : shardId;
    }

    /** Whether a lease key belongs to this stream. */
    public boolean owns(String leaseKey) {
        return multiStream ? leaseKey.startsWith(streamName + ":") : !leaseKey.contains(":");
    }

    public String shardIdOf(String leaseKey) {
        return multiStream ? leaseKey.substring(streamName.length() + 1) : leaseKey;
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
