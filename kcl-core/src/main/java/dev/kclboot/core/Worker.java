package dev.kclboot.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
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
 * Consumes one or more Kinesis streams with KCL semantics: takes shard leases from a DynamoDB table shared with the
 * other workers of the application, runs one {@link dev.kclboot.core.processor.RecordProcessor} per held shard,
 * follows splits and merges (parents first), and releases its leases on a graceful {@link #shutdown(Duration)}.
 * <pre>{@code
 * Worker worker = Worker.builder()
 *         .applicationName("orders-consumer")
 *         .stream("orders")
 *         .kinesisClient(kinesis).dynamoDbClient(dynamoDb)
 *         .recordProcessorFactory(stream -> new OrderProcessor())
 *         .build();
 * worker.start();
 * }</pre>
 */
public final class Worker {

    private final WorkerConfig config;

    private final WorkerEngine engine;

    private Worker(WorkerConfig config) {
        this.config = config;
        this.engine = new WorkerEngine(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the worker and returns at once; the worker checks the streams, creates the lease table when missing
     * and begins taking leases in the background.
     * @throws IllegalStateException when the worker was started before
     * @throws WorkerStartException when a stream does not exist (naming stream and region) or the lease table
     * cannot be used
     */
    public void start() {
        engine.start();
    }

    /**
     * Stops gracefully: stops fetching, lets each processor finish its batch, calls
     * {@code shutdown(REQUESTED)} so it can checkpoint, then releases the leases so peers take them at once.
     * @param timeout the longest time to wait
     * @return true when everything stopped within the timeout
     */
    public boolean shutdown(Duration timeout) {
        return engine.shutdown(timeout);
    }

    /**
     * Stops at once, as a crash would: no processor shutdown, no checkpoint, no lease released (peers take the
     * leases after the failover time). Package-private: for failover tests only.
     */
    void halt() {
        engine.halt();
    }

    public WorkerState state() {
        return engine.state();
    }

    /** The error that made the worker {@link WorkerState#FAILED}, else null. */
    public @Nullable Throwable failure() {
        return engine.failure();
    }

    /** A snapshot of the leases this worker holds now. */
    public List<HeldLease> leases() {
        return engine.heldLeases();
    }

    /** When {@link #start()} was called, null before. */
    public @Nullable Instant startedAt() {
        return engine.startedAt();
    }

    /** The streams (names) this worker consumes. */
    public List<String> streamNames() {
        return engine.streamNames();
    }

    /**
     * When this worker last completed a renewal round in DynamoDB successfully (holding no lease: last read the lease
     * table), null before the first. It stands still while DynamoDB is unreachable.
     */
    public @Nullable Instant lastRenewal() {
        return engine.lastRenewal();
    }

    /**
     * The shards whose consumers keep failing on this worker, with the last error and since when (for health checks:
     * a shard that fails for longer than the failover time cannot progress).
     */
    public List<ShardFailure> shardFailures() {
        return engine.shardFailures();
    }

    /**
     * The streams of this worker that Kinesis says no longer exist, with when this worker found out. Their shards
     * ended with TERMINATE; no lease of them is taken while they are gone.
     */
    public java.util.Map<String, Instant> deletedStreams() {
        return engine.deletedStreams();
    }

    /** Stops delivering records of a stream until {@link #resume(String)}; leases are kept and renewed. */
    public void pause(String stream) {
        engine.pause(stream);
    }

    /** Resumes delivering records of a paused stream. */
    public void resume(String stream) {
        engine.resume(stream);
    }

    public boolean isPaused(String stream) {
        return engine.isPaused(stream);
    }

    /**
     * Stops consuming one stream of this worker and gives its shards to the other workers: its processors finish
     * their batch and get {@code shutdown(REQUESTED)}, its leases are released, and no lease of it is taken until
     * {@link #startStream(String)}. The other streams go on. Unlike {@link #pause(String)}, which keeps the leases.
     */
    public void stopStream(String stream) {
        engine.stopStream(stream);
    }

    /** Takes leases of a stream stopped with {@link #stopStream(String)} again (at the next taking round). */
    public void startStream(String stream) {
        engine.startStream(stream);
    }

    public boolean isStreamStopped(String stream) {
        return engine.isStreamStopped(stream);
    }

    public WorkerConfig config() {
        return config;
    }

    public String workerId() {
        return config.workerId();
    }

    public String applicationName() {
        return config.applicationName();
    }

    /**
     * Settings of a {@link Worker}; {@link #build()} validates them and names the setting that is wrong.
     */
    public static final class Builder {

        /** Kinesis's rule for stream consumer names. */
        private static final java.util.regex.Pattern CONSUMER_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

        private @Nullable String applicationName;

        private @Nullable String leaseTableName;

        private final List<String> streams = new ArrayList<>();

        private @Nullable KinesisClient kinesis;

        private @Nullable DynamoDbClient dynamoDb;

        private @Nullable KinesisAsyncClient kinesisAsync;

        private @Nullable DynamoDbAsyncClient dynamoDbAsync;

        private @Nullable RecordProcessorFactory processorFactory;

        private @Nullable String workerId;

        private InitialPosition initialPosition = InitialPosition.latest();

        private Duration failoverTime = Duration.ofSeconds(10);

        private int maxRecords = 10_000;

        private Duration idleTimeBetweenReads = Duration.ofSeconds(1);

        private Duration shardSyncInterval = Duration.ofSeconds(60);

        private int maxLeasesPerWorker = Integer.MAX_VALUE;

        private int maxLeasesToStealAtOneTime = 10;

        private BillingMode billingMode = BillingMode.PAY_PER_REQUEST;

        private Duration processingRetryInitialBackoff = Duration.ofMillis(500);

        private Duration processingRetryMaxBackoff = Duration.ofSeconds(30);

        private boolean skipFailedBatches;

        private @Nullable MeterRegistry meterRegistry;

        private Duration leaseCleanupInterval = Duration.ofMinutes(1);

        private Duration startupRetryTimeout = Duration.ofSeconds(30);

        private Duration consumerFailureInitialBackoff = Duration.ofSeconds(1);

        private Duration consumerFailureMaxBackoff = Duration.ofMinutes(1);

        private int maxConsumerThreads = 64;

        private @Nullable Executor executor;

        private @Nullable ThreadFactory threadFactory;

        private long maxReadAheadBytes = 64L * 1024 * 1024;

        private MultiStreamLeaseKeys multiStreamLeaseKeys = MultiStreamLeaseKeys.STREAM_NAME;

        private boolean kcl3Index;

        private Retrieval retrieval = Retrieval.polling();

        private Builder() {
        }

        /** Required. Names the application; also the lease table name unless {@link #leaseTableName} is set. */
        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        /** The DynamoDB lease table (default: the application name). */
        public Builder leaseTableName(String leaseTableName) {
            this.leaseTableName = leaseTableName;
            return this;
        }

        /** Required (or {@link #streams}): the stream's name or ARN. */
        public Builder stream(String nameOrArn) {
            this.streams.clear();
            this.streams.add(nameOrArn);
            return this;
        }

        /** Several streams in one lease table; lease keys become {@code streamName:shardId}. */
        public Builder streams(List<String> namesOrArns) {
            this.streams.clear();
            this.streams.addAll(namesOrArns);
            return this;
        }

        /** Required: the caller's Kinesis client (the worker does not close it). */
        public Builder kinesisClient(KinesisClient kinesis) {
            this.kinesis = kinesis;
            return this;
        }

        /** Required: the caller's DynamoDB client (the worker does not close it). */
        public Builder dynamoDbClient(DynamoDbClient dynamoDb) {
            this.dynamoDb = dynamoDb;
            return this;
        }

        /**
         * Sends polling's per-shard calls (GetShardIterator, GetRecords) through this async client instead of the
         * blocking one, so a call in flight holds no thread: hundreds of shards read on the client's event loop
         * instead of a pool sized by calls per second × latency. The worker does not close it. Give it a
         * {@code FUTURE_COMPLETION_EXECUTOR} of {@code Runnable::run} and a shared event loop to keep its own threads
         * few (the engine continues on its own pool, never on the event loop). Not used by enhanced fan-out, which
         * has its own client ({@link Retrieval#fanOut}).
         */
        public Builder kinesisAsyncClient(@Nullable KinesisAsyncClient kinesisAsync) {
            this.kinesisAsync = kinesisAsync;
            return this;
        }

        /**
         * Sends lease renewals (the one call per lease that repeats every renewal interval), takes and the shard sync's
         * lease creations through this async client instead of the blocking one, so none of them holds a thread while
         * in flight; reading a row back after an ambiguous failure, scans, checkpoints, releases and handoff requests
         * still use the blocking client. The worker does not close it.
         */
        public Builder dynamoDbAsyncClient(@Nullable DynamoDbAsyncClient dynamoDbAsync) {
            this.dynamoDbAsync = dynamoDbAsync;
            return this;
        }

        /** Required: makes one processor per shard lease. */
        public Builder recordProcessorFactory(RecordProcessorFactory processorFactory) {
            this.processorFactory = processorFactory;
            return this;
        }

        /** This worker's identity (default: host name plus a random suffix). */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /** Where shards without a checkpoint start (default LATEST, as in the KCL). */
        public Builder initialPosition(InitialPosition initialPosition) {
            this.initialPosition = initialPosition;
            return this;
        }

        /** How long a lease may go unrenewed before others take it (default 10 s). */
        public Builder failoverTime(Duration failoverTime) {
            this.failoverTime = failoverTime;
            return this;
        }

        /** The most records per GetRecords call, 1..10000 (default 10000). */
        public Builder maxRecords(int maxRecords) {
            this.maxRecords = maxRecords;
            return this;
        }

        /**
         * The pause between reads of a caught-up shard (default 1 s, minus the time the last read took), give or take a
         * random tenth so that shards started together do not keep polling at the same moment.
         */
        public Builder idleTimeBetweenReads(Duration idleTimeBetweenReads) {
            this.idleTimeBetweenReads = idleTimeBetweenReads;
            return this;
        }

        /** How often ListShards runs to find new shards (default 60 s). */
        public Builder shardSyncInterval(Duration shardSyncInterval) {
            this.shardSyncInterval = shardSyncInterval;
            return this;
        }

        /** The most leases this worker holds (default unlimited). */
        public Builder maxLeasesPerWorker(int maxLeasesPerWorker) {
            this.maxLeasesPerWorker = maxLeasesPerWorker;
            return this;
        }

        /**
         * The most leases stolen from busier workers in one round (default 10; the KCL's is 1). A steal is a graceful
         * handoff (the owner finishes its batch, checkpoints and releases), so several at once cost no duplicates and
         * a joining worker gets its share in a few rounds: two workers on 200 shards balanced in 32 s with 10, 223 s
         * with 1 ({@code benchmarks/results/scale-4-async.txt}, {@code scale-4-steal10.txt}).
         */
        public Builder maxLeasesToStealAtOneTime(int maxLeasesToStealAtOneTime) {
            this.maxLeasesToStealAtOneTime = maxLeasesToStealAtOneTime;
            return this;
        }

        /** Billing mode of a lease table the worker creates (default PAY_PER_REQUEST). */
        public Builder billingMode(BillingMode billingMode) {
            this.billingMode = billingMode;
            return this;
        }

        /** Backoff between deliveries of a batch whose processing threw (default 500 ms doubling to 30 s). */
        public Builder processingRetryBackoff(Duration initial, Duration max) {
            this.processingRetryInitialBackoff = initial;
            this.processingRetryMaxBackoff = max;
            return this;
        }

        /**
         * Restores the KCL's behaviour of skipping a batch whose processing threw (default false: the batch is
         * delivered again, so no record is lost).
         */
        public Builder skipFailedBatches(boolean skipFailedBatches) {
            this.skipFailedBatches = skipFailedBatches;
            return this;
        }

        /** Where the engine's Micrometer meters go (default none). */
        public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * How often finished leases whose children have all started are deleted (default 1 min). The lineage rule
         * keeps a deleted lease from ever being created again.
         */
        public Builder leaseCleanupInterval(Duration leaseCleanupInterval) {
            this.leaseCleanupInterval = leaseCleanupInterval;
            return this;
        }

        /**
         * How long {@link Worker#start()} retries throttling, 5xx and timeouts of Kinesis and DynamoDB before it
         * fails (default 30 s). Definite answers (stream or table not found, access denied) fail at once.
         */
        public Builder startupRetryTimeout(Duration startupRetryTimeout) {
            this.startupRetryTimeout = startupRetryTimeout;
            return this;
        }

        /**
         * How long this worker keeps off a shard after a consumer failure (the processor's initialize threw, Kinesis
         * refused to read it...): exponential with jitter from {@code initial} (default 1 s) to {@code max} (default
         * 1 min) as failures repeat. Other workers may take the shard meanwhile.
         */
        public Builder consumerFailureBackoff(Duration initial, Duration max) {
            this.consumerFailureInitialBackoff = initial;
            this.consumerFailureMaxBackoff = max;
            return this;
        }

        /**
         * The most threads that run consumer steps (processor calls) at once, default 64; GetRecords calls get a quarter
         * as many (at least 4). Threads exist only while there is work: a caught-up shard waits between reads without
         * one. Ignored when an {@link #executor(Executor)} is given.
         */
        public Builder maxConsumerThreads(int maxConsumerThreads) {
            this.maxConsumerThreads = maxConsumerThreads;
            return this;
        }

        /**
         * Runs consumer steps and GetRecords calls on this executor instead of the engine's bounded pools, e.g.
         * {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21+. The worker does not shut it down.
         */
        public Builder executor(@Nullable Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Makes the engine's own threads (control, renewals, timer, and the pools unless an executor is given). */
        public Builder threadFactory(@Nullable ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /**
         * The most bytes of batches read ahead of processing and not processed yet, across all shards of the worker
         * (default 64 MiB). Beyond it a shard reads its next batch only after the current one is processed; a shard
         * always gets its own next batch.
         */
        public Builder maxReadAheadBytes(long maxReadAheadBytes) {
            this.maxReadAheadBytes = maxReadAheadBytes;
            return this;
        }

        /**
         * How lease keys name their stream when the table holds several streams (default
         * {@link MultiStreamLeaseKeys#STREAM_NAME}); {@link MultiStreamLeaseKeys#KCL} is the KCL's multi-stream form.
         */
        public Builder multiStreamLeaseKeys(MultiStreamLeaseKeys multiStreamLeaseKeys) {
            this.multiStreamLeaseKeys = multiStreamLeaseKeys;
            return this;
        }

        /**
         * Creates a missing lease table with KCL 3's {@code LeaseOwnerToLeaseKeyIndex} (hash {@code leaseOwner},
         * range {@code leaseKey}, keys only), so moving the application to KCL 3.x needs no UpdateTable (default
         * false: this engine does not use the index, and it costs a write per lease change).
         */
        public Builder kcl3LeaseOwnerIndex(boolean kcl3Index) {
            this.kcl3Index = kcl3Index;
            return this;
        }

        /**
         * How shards are read (default {@link Retrieval#polling()}): {@code Retrieval.fanOut(kinesisAsyncClient)} for
         * enhanced fan-out. With fan-out the stream consumer is registered (or found) at {@link Worker#start()}; the
         * polling settings ({@link #maxRecords}, {@link #idleTimeBetweenReads}) do not apply.
         */
        public Builder retrieval(Retrieval retrieval) {
            this.retrieval = retrieval;
            return this;
        }

        /**
         * Validates the settings and builds the worker (not started).
         * @throws IllegalArgumentException naming the first setting that is missing or invalid
         */
        public Worker build() {
            String application = requireText(applicationName, "applicationName");
            String table = (leaseTableName == null) ? application : requireText(leaseTableName, "leaseTableName");
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("stream must be set (a stream name or ARN)");
            }
            for (String stream : streams) {
                requireText(stream, "stream");
            }
            if (streams.stream().distinct().count() != streams.size()) {
                throw new IllegalArgumentException("streams must not repeat a stream: " + streams);
            }
            require(kinesis, "kinesisClient");
            require(dynamoDb, "dynamoDbClient");
            require(processorFactory, "recordProcessorFactory");
            require(initialPosition, "initialPosition");
            require(billingMode, "billingMode");
            require(retrieval, "retrieval");
            if (retrieval instanceof Retrieval.FanOut fanOut) {
                checkFanOut(fanOut, application);
            }
            String id = (workerId == null) ? defaultWorkerId() : requireText(workerId, "workerId");
            requirePositive(failoverTime, "failoverTime");
            requirePositive(shardSyncInterval, "shardSyncInterval");
            requirePositive(processingRetryInitialBackoff, "processingRetryBackoff initial");
            requirePositive(processingRetryMaxBackoff, "processingRetryBackoff max");
            requirePositive(leaseCleanupInterval, "leaseCleanupInterval");
            requirePositive(startupRetryTimeout, "startupRetryTimeout");
            requirePositive(consumerFailureInitialBackoff, "consumerFailureBackoff initial");
            requirePositive(consumerFailureMaxBackoff, "consumerFailureBackoff max");
            if (maxConsumerThreads < 1) {
                throw new IllegalArgumentException("maxConsumerThreads must be at least 1, was " + maxConsumerThreads);
            }
            if (maxReadAheadBytes < 0) {
                throw new IllegalArgumentException("maxReadAheadBytes must not be negative, was " + maxReadAheadBytes);
            }
            require(idleTimeBetweenReads, "idleTimeBetweenReads");
            if (idleTimeBetweenReads.isNegative()) {
                throw new IllegalArgumentException("idleTimeBetweenReads must not be negative, was " + idleTimeBetweenReads);
            }
            if (maxRecords < 1 || maxRecords > 10_000) {
                throw new IllegalArgumentException("maxRecords must be between 1 and 10000, was " + maxRecords);
            }
            if (maxLeasesPerWorker < 1) {
                throw new IllegalArgumentException("maxLeasesPerWorker must be at least 1, was " + maxLeasesPerWorker);
            }
            if (maxLeasesToStealAtOneTime < 0) {
                throw new IllegalArgumentException(
                        "maxLeasesToStealAtOneTime must not be negative, was " + maxLeasesToStealAtOneTime);
            }
            if (failoverTime.toMillis() < 300) {
                throw new IllegalArgumentException("failoverTime must be at least 300ms, was " + failoverTime);
            }
            return new Worker(new WorkerConfig(application, table, List.copyOf(streams), kinesis, dynamoDb,
                    processorFactory, id, initialPosition, failoverTime, maxRecords, idleTimeBetweenReads,
                    shardSyncInterval, maxLeasesPerWorker, maxLeasesToStealAtOneTime, billingMode,
                    processingRetryInitialBackoff, processingRetryMaxBackoff, skipFailedBatches, meterRegistry,
                    leaseCleanupInterval, startupRetryTimeout, consumerFailureInitialBackoff, consumerFailureMaxBackoff,
                    maxConsumerThreads, executor, threadFactory, maxReadAheadBytes,
                    require(multiStreamLeaseKeys, "multiStreamLeaseKeys"), kcl3Index, retrieval, kinesisAsync,
                    dynamoDbAsync));
        }

        private void checkFanOut(Retrieval.FanOut fanOut, String application) {
            if (fanOut.consumerArn() != null) {
                requireText(fanOut.consumerArn(), "retrieval consumerArn");
                if (streams.size() > 1) {
                    throw new IllegalArgumentException("retrieval consumerArn names the consumer of one stream; this "
                            + "worker reads " + streams.size() + " streams: give a consumerName instead");
                }
                return;
            }
            String name = fanOut.consumerName() != null ? fanOut.consumerName() : application;
            if (!CONSUMER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("retrieval consumerName must be 1 to 128 letters, digits, '_', '.' "
                        + "or '-' (it defaults to the applicationName), was '" + name + "'");
            }
        }

        private static String requireText(@Nullable String value, String setting) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(setting + " must not be blank");
            }
            return value;
        }

        private static <T> T require(@Nullable T value, String setting) {
            if (value == null) {
                throw new IllegalArgumentException(setting + " must be set");
            }
            return value;
        }

        private static void requirePositive(@Nullable Duration value, String setting) {
            Objects.requireNonNull(require(value, setting));
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
        }

        /** What {@link #workerId} defaults to: the host name plus a random suffix. */
        public static String defaultWorkerId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            }
            catch (UnknownHostException ex) {
                host = "worker";
            }
            return host + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
