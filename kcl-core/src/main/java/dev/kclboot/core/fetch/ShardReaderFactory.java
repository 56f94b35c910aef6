package dev.kclboot.core.fetch;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.StreamRef;

/**
 * Makes the reader of one shard for one lease tenure, positioned at the lease's checkpoint (or at the initial
 * position when the checkpoint is a start sentinel).
 */
@FunctionalInterface
public interface ShardReaderFactory {

    ShardReader create(StreamRef stream, String shardId, ExtendedSequenceNumber checkpoint, RecordConverter converter);
}
