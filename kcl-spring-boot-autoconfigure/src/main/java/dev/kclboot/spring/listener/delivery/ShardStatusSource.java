package dev.kclboot.spring.listener.delivery;

import dev.kclboot.spring.listener.ShardStatus;

/**
 * Where the live {@link ShardStatus} of one shard processor comes from: a {@link ShardDeliveryState} when the shard
 * is delivered one record (or batch) at a time, a {@link ParallelShardState} when records of several keys are in the
 * listener at once. Read by health checks and the iterator-age gauge on other threads.
 */
public interface ShardStatusSource {

    ShardStatus snapshot();

    /** The iterator-age gauge's value: see {@link ShardStatus#iteratorAge()}. */
    double iteratorAgeMillis();
}
