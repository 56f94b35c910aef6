package dev.kclboot.spring.listener.container;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;

/**
 * An in-memory checkpointer that records what was checkpointed ("SHARD_END" for {@code checkpoint()}).
 */
final class RecordingCheckpointer implements Checkpointer {

    final List<String> checkpoints = new CopyOnWriteArrayList<>();

    @Override
    public void checkpoint() {
        checkpoints.add("SHARD_END");
    }

    @Override
    public void checkpoint(String sequenceNumber) {
        checkpoints.add(sequenceNumber);
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        // The same position as checkpoint(record) for a record that was not aggregated.
        checkpoints.add((subSequenceNumber == 0) ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber);
    }

    @Override
    public void checkpoint(KinesisRecord record) {
        checkpoints.add(record.sequenceNumber());
    }

    @Override
    public String shardId() {
        return "shardId-000000000000";
    }

    @Override
    public ExtendedSequenceNumber lastCheckpoint() {
        return checkpoints.isEmpty() ? ExtendedSequenceNumber.TRIM_HORIZON
                : ExtendedSequenceNumber.of(checkpoints.get(checkpoints.size() - 1));
    }

    String last() {
        return checkpoints.isEmpty() ? "none" : checkpoints.get(checkpoints.size() - 1);
    }
}
