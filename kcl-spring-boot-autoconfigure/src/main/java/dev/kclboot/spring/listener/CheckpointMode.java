package dev.kclboot.spring.listener;

/**
 * When a listener container writes checkpoints to the lease table. In every mode the checkpoint only covers records
 * that succeeded or were recovered, in shard order: it never passes a record that is still failing.
 */
public enum CheckpointMode {

    /** After every record of a batch from the shard succeeded or was recovered (the default). */
    BATCH,

    /** After each record. Costs one DynamoDB write per record; use for slow, expensive records. */
    RECORD,

    /**
     * At most once per checkpoint interval, up to the last record fully done; checked as records complete and when
     * the shard stops. Fewer DynamoDB writes, more records delivered again after a failover.
     */
    PERIODIC,

    /**
     * The listener checkpoints through a {@link dev.kclboot.core.checkpoint.Checkpointer} parameter. The container
     * still records SHARD_END when a shard ends and every record is done.
     */
    MANUAL
}
