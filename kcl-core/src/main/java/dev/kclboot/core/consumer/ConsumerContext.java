package dev.kclboot.core.consumer;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

import dev.kclboot.core.aggregation.RecordDeaggregator;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.fetch.ShardReaderFactory;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.ShardPresence;
import dev.kclboot.core.sync.ChildLeases;

/**
 * What every {@link ShardConsumer} of a worker shares.
 * @param readers make each shard's reader (polling, or enhanced fan-out)
 * @param coordinator the worker's leases
 * @param childLeases creates the children's leases at shard end
 * @param presence finds out why a shard is not found
 * @param processorFactory makes the processors
 * @param deaggregator turns Kinesis records into processor records (KPL aggregates into user records)
 * @param initialPosition where leases without a checkpoint start
 * @param retryBackoff between deliveries of a failed batch
 * @param childLeaseBackoff between attempts to create the children's leases
 * @param skipFailedBatches the KCL's skip-on-failure behaviour
 * @param paused whether a stream (by name) is paused
 * @param metrics the engine's meters
 * @param processing runs the consumers' steps (processor calls)
 * @param timer wakes consumers that wait (pacing, backoff); its tasks only hand over to the executors above
 * @param listener told what happens to each consumer
 * @param readAhead bounds the bytes read ahead across the worker
 */
public record ConsumerContext(ShardReaderFactory readers, LeaseCoordinator coordinator, ChildLeases childLeases,
        ShardPresence presence, RecordProcessorFactory processorFactory, RecordDeaggregator deaggregator,
        InitialPosition initialPosition, ExponentialBackoff retryBackoff,
        ExponentialBackoff childLeaseBackoff, boolean skipFailedBatches, Predicate<String> paused,
        EngineMetrics metrics, Executor processing, ScheduledExecutorService timer,
        ConsumerListener listener, ReadAheadBudget readAhead) {
}
