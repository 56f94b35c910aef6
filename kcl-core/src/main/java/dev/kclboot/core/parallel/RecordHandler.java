package dev.kclboot.core.parallel;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Processes one record for a {@link KeyOrderedRecordProcessor}; called for the records of one partition key one at a
 * time, in shard order, and for records of different keys at once (from several threads).
 * <p>
 * A record is done when {@code handle} returns: only then may the checkpoint pass it. Retrying, recovering or
 * skipping a record that fails is the handler's job; when it throws anyway, the record is not done and:
 * <ul>
 * <li>a {@link dev.kclboot.core.processor.ShardFailedException} ends the shard's tenure: no record is dispatched any
 * more and, at the next batch (or at shutdown), the engine fails the shard, which restarts from the checkpoint (the
 * low watermark, before this record) after the consumer-failure backoff;</li>
 * <li>a {@link RecordNotDoneException} leaves the record not done without retrying it: its key stops for the rest
 * of the tenure, the other keys go on (for a handler that gives up because the shard is being stopped);</li>
 * <li>any other exception is retried with backoff, on and on: the record's key is blocked (its later records wait),
 * the other keys go on, and the checkpoint stays before the record, until it succeeds or the lease is lost.</li>
 * </ul>
 * An interrupt means the worker gave up on the shard (its shutdown timeout passed, or the lease was lost): return
 * (or throw) soon; the record is then not done.
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Processes the record; returns when it is done.
     * @throws Exception when it failed (see above)
     */
    void handle(KinesisRecord record) throws Exception;
}
