package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.stream.InitialPosition;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The validated, immutable settings of a {@link Worker}; made by {@link Worker.Builder#build()}.
 * @param applicationName names the application; the lease table unless {@code leaseTableName} is set
 * @param leaseTableName the DynamoDB lease table
 * @param streams the streams consumed (names or ARNs); with more than one, lease keys are {@code stream:shardId}
 * @param kinesis the caller's Kinesis client
 * @param dynamoDb the caller's DynamoDB client
 * @param processorFactory makes one processor per shard lease
 * @param workerId this worker's identity in the {@code leaseOwner} attribute
 * @param initialPosition where shards without a checkpoint start
 * @param failoverTime how long a lease's counter may stand still before other workers may take it
 * @param maxRecords the most records one GetRecords call returns (1..10000)
 * @param idleTimeBetweenReads the pause between reads of a shard that is caught up
 * @param shardSyncInterval how often ListShards looks for new shards
 * @param maxLeasesPerWorker the most leases this worker holds
 * @param maxLeasesToStealAtOneTime the most leases taken from other workers in one taking round
 * @param billingMode of a lease table created by the worker
 * @param processingRetryInitialBackoff first wait before a failed batch is delivered again
 * @param processingRetryMaxBackoff longest wait between deliveries of a failed batch
 * @param skipFailedBatches the KCL's behaviour: a batch whose processing threw is skipped (off by default)
 * @param meterRegistry where the engine's meters go, or null for none
 * @param leaseCleanupInterval how often finished leases whose children have started are deleted
 * @param startupRetryTimeout how long {@code start()} retries throttling, 5xx and timeouts before it fails
 * @param consumerFailureInitialBackoff how long this worker keeps off a shard after its first consumer failure
 * @param consumerFailureMaxBackoff the cap of that backoff as failures repeat
 * @param maxConsumerThreads the most threads running consumer steps at once (GetRecords calls: a quarter, at
 * least 4), when no executor is given
 * @param executor runs consumer steps and GetRecords calls instead of the engine's pools (e.g. virtual threads), or
 * null
 * @param threadFactory makes the engine's own threads, or null for daemon threads named after the application
 * @param maxReadAheadBytes the most bytes of batches read ahead and not yet processed, across the worker
 * @param multiStreamLeaseKeys how lease keys name their stream when the table holds several
 * @param kcl3Index whether a lease table the worker creates gets KCL 3's {@code LeaseOwnerToLeaseKeyIndex}
 * @param retrieval how shards are read: polling GetRecords or enhanced fan-out
 * @param kinesisAsync when not null, polling's GetShardIterator and GetRecords calls go through it and hold no thread
 * while in flight (the sync client serves everything else)
 * @param dynamoDbAsync when not null, lease renewals go through it and hold no thread while in flight (the sync client
 * serves everything else)
 */
public record WorkerConfig(String applicationName, String leaseTableName, List<String> streams, KinesisClient kinesis,
        DynamoDbClient dynamoDb, RecordProcessorFactory processorFactory, String workerId,
        InitialPosition initialPosition, Duration failoverTime, int maxRecords, Duration idleTimeBetweenReads,
        Duration shardSyncInterval, int maxLeasesPerWorker, int maxLeasesToStealAtOneTime, BillingMode billingMode,
        Duration processingRetryInitialBackoff, Duration processingRetryMaxBackoff, boolean skipFailedBatches,
        @Nullable MeterRegistry meterRegistry, Duration leaseCleanupInterval, Duration startupRetryTimeout,
        Duration consumerFailureInitialBackoff, Duration consumerFailureMaxBackoff, int maxConsumerThreads,
        @Nullable Executor executor, @Nullable ThreadFactory threadFactory, long maxReadAheadBytes,
        MultiStreamLeaseKeys multiStreamLeaseKeys, boolean kcl3Index, Retrieval retrieval,
        @Nullable KinesisAsyncClient kinesisAsync, @Nullable DynamoDbAsyncClient dynamoDbAsync) {

    /** Whether several streams share the lease table (lease keys carry the stream name). */
    public boolean multiStream() {
        return streams.size() > 1;
    }

    /**
     * The most GetRecords (and GetShardIterator) calls of polling in flight at once: a quarter of the consumer
     * threads, at least 4 (a caught-up shard reads once a second, so a few calls at a time serve hundreds of shards).
     * The size of the blocking pool of reads, or the bound on the async client's calls.
     */
    public int maxReadsInFlight() {
        return Math.max(4, maxConsumerThreads / 4);
    }

    /** How often held leases are renewed: a third of the failover time, as the KCL does. */
    public Duration renewalInterval() {
        return failoverTime.dividedBy(3);
    }

    /**
     * How often the lease table is scanned to take free, expired or stolen leases: half the failover time, at most
     * 2 s, so leases released by a graceful shutdown are picked up within 2 s (the KCL waits for expiry instead).
     * One consistent scan of a small table every 2 s per worker costs a few read units.
     */
    public Duration takingInterval() {
        Duration half = failoverTime.dividedBy(2);
        Duration cap = Duration.ofSeconds(2);
        return half.compareTo(cap) < 0 ? half : cap;
    }

    /**
     * How often the table is scanned while it is settled (nothing free, expired or being handed over, nothing for
     * this worker to take), for a worker holding {@code leasesHeld} leases: twice the failover time divided by the
     * leases held, clamped between the taking interval (2 s) and half the failover time. A lease released in a
     * settled fleet is taken within this time (an expired one after the failover time anyway).
     * <p>
     * Why this budget: a lease is renewed 3 times per failover time, so one scan per lease every 2 failover times costs
     * a sixth of the renewals in requests (default failover 10 s: 180 scans against 1,080 renewals per shard-hour,
     * under the 1,296 requests per shard-hour of KCL 3.5.1 idle at 4 leases). A worker with 4 leases or fewer scans
     * every failover/2 (the cap: a released lease must be taken within failover/2, so below 4 leases scans cost more
     * per shard, as before); one with 10 or more every 2 s, and the scans' share per shard then falls as leases grow
     * (100 leases: 18 per shard-hour). Read units of a scan grow with the table, not with the leases held: a worker
     * holding many leases of a big table pays more units per shard-hour for the 2 s pace (one worker on 200 leases:
     * about 120 scan units per shard-hour instead of 54 at 5 s).
     */
    public Duration settledTakingInterval(int leasesHeld) {
        Duration budget = failoverTime.multipliedBy(2).dividedBy(Math.max(1, leasesHeld));
        Duration longest = failoverTime.dividedBy(2);
        Duration shortest = takingInterval(); // never above failover/2
        return budget.compareTo(longest) > 0 ? longest : budget.compareTo(shortest) < 0 ? shortest : budget;
    }
}
