package dev.kclboot.core.fetch;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.ChildShard;

/**
 * What one GetRecords call gave.
 * @param records the records, converted (and de-aggregated), not yet filtered against the checkpoint
 * @param millisBehindLatest how far behind the tip of the shard the read was
 * @param shardEnd whether the shard is closed and fully read (no next iterator)
 * @param childShards the children of the shard, present at shard end
 * @param full whether the call returned as many records as it could (the shard is catching up)
 */
public record FetchResult(List<KinesisRecord> records, @Nullable Long millisBehindLatest, boolean shardEnd,
        List<ChildShard> childShards, boolean full) {
}
