package dev.kclboot.spring.listener.delivery;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/**
 * The checkpointer a listener sees: every checkpoint covers at most the records of the current invocation (the
 * record, or the batch up to its last record), never records the engine handed over that the listener has not seen;
 * a position beyond them is an {@link IllegalArgumentException}, as one beyond the engine's batch is.
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
        requireSeen(sequenceNumber, 0);
        if (sequenceNumber.equals(last.sequenceNumber())) {
            // The whole of the last record as far as this invocation goes: its last sub-record seen.
            delegate.checkpoint(last);
        }
        else {
            delegate.checkpoint(sequenceNumber);
        }
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        requireSeen(sequenceNumber, subSequenceNumber);
        delegate.checkpoint(sequenceNumber, subSequenceNumber);
    }

    @Override
    public void checkpoint(KinesisRecord record) {
        requireSeen(record.sequenceNumber(), record.subSequenceNumber());
        delegate.checkpoint(record);
    }

    private void requireSeen(String sequenceNumber, long subSequenceNumber) {
        ExtendedSequenceNumber position;
        try {
            position = ExtendedSequenceNumber.of(sequenceNumber, subSequenceNumber);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId() + " at '" + sequenceNumber + "': "
                    + ex.getMessage(), ex);
        }
        ExtendedSequenceNumber limit = ExtendedSequenceNumber.of(last.sequenceNumber(), last.subSequenceNumber());
        if (!position.isSentinel() && position.compareTo(limit) > 0) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId() + " at " + position
                    + ": the listener has seen records up to " + limit + " only");
        }
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
