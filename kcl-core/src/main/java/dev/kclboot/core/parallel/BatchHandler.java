package dev.kclboot.core.parallel;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Processes records of a {@link KeyOrderedRecordProcessor} several at a time: each batch the engine hands over is
 * split into key groups (a partition key always falls into the same of {@code concurrency} groups, by its hash), and
 * the handler gets the records of one group of one batch, in shard order. The sub-batches of a group are handled one
 * at a time and in order, different groups at once, so the records of a key keep their order. A blocked record
 * blocks its group (the keys that share it), not the other groups.
 * <p>
 * The sub-batch is done when {@code handle} returns: every record of it. Failures are handled as for a
 * {@link RecordHandler}, for the sub-batch as a whole (it is retried whole; recovering single records is the
 * handler's job).
 */
@FunctionalInterface
public interface BatchHandler {

    /**
     * Processes the records of one key group of a batch; returns when all of them are done.
     * @throws Exception when it failed (see {@link RecordHandler})
     */
    void handle(List<KinesisRecord> records) throws Exception;
}
