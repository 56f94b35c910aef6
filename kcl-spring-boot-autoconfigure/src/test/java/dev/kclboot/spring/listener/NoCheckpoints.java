package dev.kclboot.spring.listener;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/** A checkpointer for unit tests that only invoke a listener: it names its shard and ignores every checkpoint. */
public final class NoCheckpoints implements Checkpointer {

    private final String shardId;

    private NoCheckpoints(String shardId) {
        this.shardId = shardId;
    }

    /** One for the given shard, at TRIM_HORIZON. */
    public static Checkpointer forShard(String shardId) {
        return new NoCheckpoints(shardId);
    }

    @Override
    public void checkpoint() {
    }

    @Override
    public void checkpoint(String sequenceNumber) {
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
    }

    @Override
    public void checkpoint(KinesisRecord record) {
    }

    @Override
    public String shardId() {
        return shardId;
    }

    @Override
    public ExtendedSequenceNumber lastCheckpoint() {
        return ExtendedSequenceNumber.TRIM_HORIZON;
    }
}
