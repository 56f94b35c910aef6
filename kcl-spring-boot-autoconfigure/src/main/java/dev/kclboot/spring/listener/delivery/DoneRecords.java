package dev.kclboot.spring.listener.delivery;

import java.util.List;

import dev.kclboot.core.record.KinesisRecord;

/**
 * Where a delivery reports records that are done (succeeded, recovered, filtered or expired): a
 * {@link ListenerRecordProcessor} marks them in its {@link ShardProgress} and checkpoints by its mode; a
 * {@link KeyOrderedListenerProcessor} notes them in the delivery's lane of the shard state (its watermark moves when
 * the delivery returns). Reported in groups (the records of one
 * successful listener call, the records before a failed one, one recovered record), so that RECORD mode writes one
 * checkpoint per group rather than per record of a batch.
 */
@FunctionalInterface
interface DoneRecords {

    void done(List<KinesisRecord> records);
}
