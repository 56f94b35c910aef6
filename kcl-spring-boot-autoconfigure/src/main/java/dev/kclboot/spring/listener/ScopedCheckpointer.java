package dev.kclboot.spring.listener;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/**
 * The checkpointer a listener sees: {@link #checkpoint()} covers the records of the current invocation only (the
 * record, or the last record of the batch), never records the engine handed over that the listener has not seen.
 */
final class ScopedCheckpointer implements Checkpointer {

    private final Checkpointer delegate;

    private final KinesisRecord last;

    ScopedCheckpointer(Checkpointer delegate, KinesisRecord last) {
        this.delegate = delegate;
        this.last = last;
    }

    @Override
    public void checkpoint() {
        delegate.checkpoint(last);
    }

    @Override
    public void checkpoint(String sequenceNumber) {
        delegate.checkpoint(sequenceNumber);
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        delegate.checkpoint(sequenceNumber, subSequenceNumber);
    }

    @Override
    public void checkpoint(KinesisRecord record) {
        delegate.checkpoint(record);
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
}
