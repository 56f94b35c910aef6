package dev.kclboot.core.fanout;

import java.util.List;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.stream.StreamRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Asks GetRecords whether a shard whose subscription sits idle at the tip has in fact ended. Kinesis ends a closed
 * shard's subscription with an event carrying ChildShards, but kinesis-mock (what LocalStack and kinesis-local run)
 * never does: it keeps sending empty events, and a stream deleted under a subscription goes unnoticed as well. One
 * GetShardIterator after the continuation sequence number and one GetRecords of one record settle it, with the
 * children exactly as polling sees them.
 */
final class ShardEndProbe {

    private static final Logger logger = LoggerFactory.getLogger(ShardEndProbe.class);

    /** What the probe found. */
    sealed interface Result {
    }

    /** Records follow, or the shard is open: the subscription goes on. */
    record Open() implements Result {
    }

    /** The shard is closed and every record was read. */
    record Ended(List<ChildShard> childShards) implements Result {
    }

    /** Kinesis does not know the shard or the stream. */
    record NotFound(String action, Exception cause) implements Result {
    }

    private final KinesisClient kinesis;

    private final StreamRef stream;

    private final String shardId;

    ShardEndProbe(KinesisClient kinesis, StreamRef stream, String shardId) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.shardId = shardId;
    }

    /** Whether the shard ends right after this sequence number (the continuation of the last event). */
    Result check(String continuationSequenceNumber) {
        String action = "kinesis:GetShardIterator";
        try {
            String iterator = kinesis.getShardIterator(stream.applyTo(GetShardIteratorRequest.builder()).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(continuationSequenceNumber).build()).shardIterator();
            action = "kinesis:GetRecords";
            GetRecordsResponse response = kinesis.getRecords(request -> request.shardIterator(iterator).limit(1));
            if (response.records().isEmpty() && response.nextShardIterator() == null) {
                return new Ended(response.hasChildShards() ? response.childShards() : List.of());
            }
            return new Open();
        }
        catch (SdkException ex) {
            if (AwsFailures.kindOf(ex) == FailureKind.NOT_FOUND) {
                return new NotFound(action, ex);
            }
            // Not conclusive: the subscription goes on, and the next probe asks again.
            logger.debug("Shard end probe of {} of {} failed: {}", shardId, stream, AwsFailures.describe(ex));
            return new Open();
        }
    }
}
