package dev.kclboot.spring.listener.delivery;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/**
 * The checkpointer a listener sees when records of several keys of its shard are in flight at once: it answers
 * whether the lease is held and where the checkpoint is, but refuses to write one. Only the shard's low watermark may
 * be checkpointed then; a checkpoint at the listener's own record would pass records of other keys not yet done.
 */
final class WatermarkOnlyCheckpointer implements Checkpointer {

    private final Checkpointer delegate;

    private final String listenerId;

    WatermarkOnlyCheckpointer(Checkpointer delegate, String listenerId) {
        this.delegate = delegate;
        this.listenerId = listenerId;
    }

    @Override
    public void checkpoint() {
        throw refused();
    }

    @Override
    public void checkpoint(String sequenceNumber) {
        throw refused();
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        throw refused();
    }

    @Override
    public void checkpoint(KinesisRecord record) {
        throw refused();
    }

    private IllegalStateException refused() {
        return new IllegalStateException("Listener '" + listenerId + "' delivers records of several keys of shard "
                + shardId() + " at once (concurrency above 1): the container checkpoints the shard's low watermark, "
                + "the listener cannot checkpoint itself");
    }

    @Override
    public String shardId() {
        return delegate.shardId();
    }

    @Override
    public ExtendedSequenceNumber lastCheckpoint() {
        return delegate.lastCheckpoint();
    }

    @Override
    public boolean isLeaseHeld() {
        return delegate.isLeaseHeld();
    }

    @Override
    public boolean isStopRequested() {
        return delegate.isStopRequested();
    }
}
