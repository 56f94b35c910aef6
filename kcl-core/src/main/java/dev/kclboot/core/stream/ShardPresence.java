package dev.kclboot.core.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Finds out why Kinesis answered ResourceNotFound for a shard: the stream was deleted, or the shard is no longer
 * listed or closed (its records expired), or, surprisingly, the shard is open. One DescribeStreamSummary and one
 * listing per stream serve every shard asking within a few seconds (when a stream is deleted, all its consumers ask
 * at once).
 */
public class ShardPresence {

    /** The answers. */
    public enum Presence {

        /** The stream does not exist (or is being deleted). */
        STREAM_DELETED,

        /** The stream exists; the shard is not in its listing. */
        SHARD_NOT_LISTED,

        /** The shard is listed and closed. */
        SHARD_CLOSED,

        /** The shard is listed and open. */
        SHARD_OPEN,

        /** Kinesis could not be asked (throttled, unreachable): ask again later. */
        UNKNOWN
    }

    private static final long CACHE_NANOS = 5_000_000_000L;

    private record Answer(long atNanos, boolean deleted, List<Shard> shards) {
    }

    private final KinesisClient kinesis;

    private final ShardLister lister;

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public ShardPresence(KinesisClient kinesis, ShardLister lister) {
        this.kinesis = kinesis;
        this.lister = lister;
    }

    public Presence check(StreamRef stream, String shardId) {
        Answer answer;
        try {
            answer = answer(stream);
        }
        catch (SdkException ex) {
            return Presence.UNKNOWN;
        }
        if (answer.deleted()) {
            return Presence.STREAM_DELETED;
        }
        return answer.shards().stream().filter(shard -> shard.shardId().equals(shardId)).findFirst()
                .map(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null ? Presence.SHARD_OPEN
                        : Presence.SHARD_CLOSED)
                .orElse(Presence.SHARD_NOT_LISTED);
    }

    private synchronized Answer answer(StreamRef stream) {
        Answer cached = answers.get(stream.streamName());
        if (cached != null && System.nanoTime() - cached.atNanos() < CACHE_NANOS) {
            return cached;
        }
        Answer fresh;
        try {
            StreamStatus status = kinesis.describeStreamSummary(stream.applyTo(DescribeStreamSummaryRequest.builder())
                    .build()).streamDescriptionSummary().streamStatus();
            fresh = status == StreamStatus.DELETING ? new Answer(System.nanoTime(), true, List.of())
                    : new Answer(System.nanoTime(), false, lister.listShards(stream));
        }
        catch (SdkException ex) {
            if (AwsFailures.kindOf(ex) != FailureKind.NOT_FOUND) {
                throw ex;
            }
            fresh = new Answer(System.nanoTime(), true, List.of());
        }
        answers.put(stream.streamName(), fresh);
        return fresh;
    }
}
