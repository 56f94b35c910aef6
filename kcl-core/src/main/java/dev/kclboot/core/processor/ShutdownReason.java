package dev.kclboot.core.processor;

/**
 * Why a {@link RecordProcessor} is shut down.
 */
public enum ShutdownReason {

    /**
     * The shard ended (split, merge, or the stream was deleted). Call {@code checkpoint()} to record SHARD_END;
     * the child shards are processed only after that.
     */
    TERMINATE,

    /**
     * The lease was lost (another worker took it, or renewals failed). Another processor may already be working
     * on the shard; checkpointing is refused with a {@link dev.kclboot.core.checkpoint.ShutdownException}.
     */
    ZOMBIE,

    /**
     * The application is shutting down gracefully. Checkpointing is allowed; the lease is released afterwards so
     * another worker can take it at once.
     */
    REQUESTED
}
