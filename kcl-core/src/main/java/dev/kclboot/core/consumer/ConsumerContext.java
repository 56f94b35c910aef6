package dev.kclboot.core.consumer;

import dev.kclboot.core.sync.ShardSyncer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.aggregation.RecordDeaggregator;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessorFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What every {@link ShardConsumer} of a worker shares.
 * @param kinesis the Kinesis client
 * @param coordinator the worker's leases
 * @param syncer creates child leases at shard end
 * @param processorFactory makes the processors
 * @param deaggregator turns Kinesis records into processor records (KPL aggregates into user records)
 * @param initialPosition where leases without a checkpoint start
 * @param maxRecords per GetRecords call
 * @param idleTimeBetweenReads pause between reads of a caught-up shard
 * @param parentPollInterval how often a child re-checks whether its parents are finished
 * @param retryBackoff between deliveries of a failed batch
 * @param skipFailedBatches the KCL's skip-on-failure behaviour
 * @param paused whether a stream (by name) is paused
 * @param metrics the engine's meters
 * @param prefetchExecutor runs the reads ahead of the processors (one pending read per shard)
 */
public record ConsumerContext(KinesisClient kinesis, LeaseCoordinator coordinator, ShardSyncer syncer,
        RecordProcessorFactory processorFactory, RecordDeaggregator deaggregator, InitialPosition initialPosition,
        int maxRecords, Duration idleTimeBetweenReads, Duration parentPollInterval, ExponentialBackoff retryBackoff,
        boolean skipFailedBatches, Predicate<String> paused, EngineMetrics metrics,
        ExecutorService prefetchExecutor) {
}
