package dev.kclboot.core.consumer;

import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.stream.StreamRef;

/**
 * Told by a {@link ShardConsumer} what happened to it, so the worker can supervise its consumers: clear or record a
 * shard's failures, take the children of a finished shard at once, mark a stream deleted.
 */
public interface ConsumerListener {

    /** A read went through and its records (if any) were processed: the shard is making progress. */
    void progressed(ShardConsumer consumer);

    /**
     * The consumer failed (the processor's initialize threw, Kinesis refused to read the shard, the processor did not
     * checkpoint SHARD_END at TERMINATE...): the processor was shut down with ZOMBIE and the lease released.
     */
    void failed(ShardConsumer consumer, Throwable cause);

    /** The consumer ended normally (TERMINATE, ZOMBIE or REQUESTED). */
    void finished(ShardConsumer consumer, ShutdownReason reason);

    /** Kinesis says the stream no longer exists. */
    void streamDeleted(StreamRef stream);
}
