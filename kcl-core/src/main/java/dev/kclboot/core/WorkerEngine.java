package dev.kclboot.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.kclboot.core.aggregation.DeaggregationListener;
import dev.kclboot.core.aggregation.MicrometerDeaggregationListener;
import dev.kclboot.core.aggregation.RecordDeaggregator;
import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.consumer.ConsumerContext;
import dev.kclboot.core.consumer.ReadAheadBudget;
import dev.kclboot.core.consumer.ShardConsumer;
import dev.kclboot.core.fetch.KinesisReads;
import dev.kclboot.core.fetch.PollingFetcher;
import dev.kclboot.core.fetch.PollingShardReader;
import dev.kclboot.core.fetch.ShardReaderFactory;
import dev.kclboot.core.lease.DynamoDbLeaseTable;
import dev.kclboot.core.lease.HeldLeaseView;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCleaner;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.LeaseEvents;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.stream.ShardLister;
import dev.kclboot.core.stream.ShardPresence;
import dev.kclboot.core.stream.StreamRef;
import dev.kclboot.core.sync.ChildLeases;
import dev.kclboot.core.sync.ShardSyncer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The moving parts behind {@link Worker} and their lifecycle: a renewal thread, a control thread ({@link ControlLoop}:
 * shard sync, cleanup, taking), the {@link ConsumerSupervisor} with one consumer per held shard, and the executors
 * consumers run on (a processing pool for processor calls, a fetching pool for GetRecords, a timer for waits).
 */
final class WorkerEngine {

    private static final Logger logger = LoggerFactory.getLogger(WorkerEngine.class);

    private static final Duration CONTROL_TICK = Duration.ofMillis(100);

    /** How long consumers abandoned at a shutdown timeout get to return from the processor call they are in. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(1);

    private final WorkerConfig config;

    private final StreamCatalog streams;

    private final DynamoDbLeaseTable table;

    private final LeaseCoordinator coordinator;

    private final EngineMetrics metrics;

    private final StreamStates states = new StreamStates();

    private final ShardFailures failures;

    private final ConsumerSupervisor supervisor;

    private final ControlLoop controlLoop;

    private final ShardLister lister;

    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.CREATED);

    private volatile @Nullable Throwable failure;

    private final WorkerThreads threads;

    private final ReadAheadBudget readAhead;

    private volatile @Nullable Instant startedAt;

    private final @Nullable FanOutSetup fanOut;

    WorkerEngine(WorkerConfig config) {
        this.config = config;
        this.streams = new StreamCatalog(config.streams().stream()
                .map(stream -> StreamRef.of(stream, config.multiStream())).toList());
        this.metrics = new EngineMetrics(config.meterRegistry(), config.applicationName());
        this.table = new DynamoDbLeaseTable(config.dynamoDb(), config.dynamoDbAsync(), config.leaseTableName(),
                config.failoverTime());
        this.threads = new WorkerThreads(config);
        this.readAhead = new ReadAheadBudget(config.maxReadAheadBytes());
        this.coordinator = new LeaseCoordinator(table, config.workerId(), config.failoverTime(),
                config.maxLeasesPerWorker(), config.maxLeasesToStealAtOneTime(), new Events(), threads.renewals);
        this.lister = new ShardLister(config.kinesis());
        this.failures = new ShardFailures(new ExponentialBackoff(config.consumerFailureInitialBackoff(),
                config.consumerFailureMaxBackoff()), config.failoverTime());
        ControlLoop[] loop = new ControlLoop[1];
        this.supervisor = new ConsumerSupervisor(coordinator, streams::of, states, failures, metrics,
                () -> loop[0].takeSoon());
        ShardSyncer syncer = new ShardSyncer(table, config.initialPosition(), threads.renewals, config.failoverTime());
        this.controlLoop = new ControlLoop(config, streams, table, coordinator, lister, syncer, new LeaseCleaner(table),
                states, failures, supervisor);
        loop[0] = controlLoop;
        this.fanOut = (config.retrieval() instanceof Retrieval.FanOut settings)
                ? new FanOutSetup(config, settings, streams.all()) : null;
    }

    void start() {
        if (!state.compareAndSet(WorkerState.CREATED, WorkerState.INITIALIZING)) {
            throw new IllegalStateException("Worker " + config.workerId() + " was already started (" + state.get() + ")");
        }
        startedAt = Instant.now();
        try {
            streams.resolved(new StartupChecks(config, streams.all(), table).run());
            if (fanOut != null) {
                fanOut.start();
            }
        }
        catch (RuntimeException ex) {
            failure = ex;
            state.set(WorkerState.FAILED);
            throw ex;
        }
        supervisor.context(consumerContext(threads.processing, threads.fetching, threads.timer));
        metrics.leasesHeld(() -> coordinator.heldLeases().size());
        state.set(WorkerState.RUNNING);
        // Each lease keeps its own phase (RenewalPhase); a fine tick (100 ms by default) sends each renewal close to its
        // due time, so renewals go out at an even rate instead of in bursts (a coarse tick groups them).
        long tick = Math.max(20, Math.min(100, config.renewalInterval().toMillis() / 10));
        threads.renewer.scheduleWithFixedDelay(this::renew, tick, tick, TimeUnit.MILLISECONDS);
        threads.control.scheduleWithFixedDelay(this::controlTick, 0, CONTROL_TICK.toMillis(), TimeUnit.MILLISECONDS);
        logger.info("Worker {} of {} started on {} (lease table {})", config.workerId(), config.applicationName(),
                streams.all(), table.tableName());
    }

    private ConsumerContext consumerContext(Executor processingPool, Executor fetchingPool,
            ScheduledExecutorService timerThread) {
        DeaggregationListener deaggregationListener = config.meterRegistry() == null ? DeaggregationListener.NONE
                : new MicrometerDeaggregationListener(config.meterRegistry(),
                        io.micrometer.core.instrument.Tags.of("application", config.applicationName()));
        return new ConsumerContext(readers(fetchingPool, timerThread), coordinator, new ChildLeases(table, lister),
                new ShardPresence(config.kinesis(), lister), config.processorFactory(),
                new RecordDeaggregator(deaggregationListener), config.initialPosition(),
                new ExponentialBackoff(config.processingRetryInitialBackoff(), config.processingRetryMaxBackoff()),
                new ExponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(30)), config.skipFailedBatches(),
                states::isPaused, metrics, processingPool, timerThread, supervisor, readAhead);
    }

    /** Enhanced fan-out when configured, else polling GetRecords on the fetching pool. */
    private ShardReaderFactory readers(Executor fetchingPool, ScheduledExecutorService timerThread) {
        if (fanOut != null) {
            return fanOut.readers(fetchingPool, timerThread, metrics);
        }
        KinesisAsyncClient async = config.kinesisAsync();
        KinesisReads reads = async != null
                ? KinesisReads.async(async, config.maxReadsInFlight(), timerThread, fetchingPool)
                : KinesisReads.blocking(config.kinesis(), fetchingPool);
        return (stream, shardId, checkpoint, converter) -> {
            PollingFetcher fetcher = new PollingFetcher(reads, stream, shardId, config.maxRecords(),
                    config.idleTimeBetweenReads(), converter, metrics);
            fetcher.start(checkpoint, config.initialPosition());
            return new PollingShardReader(fetcher, timerThread);
        };
    }

    private void renew() {
        try {
            coordinator.renewDueLeases();
        }
        catch (RuntimeException ex) {
            logger.warn("Lease renewal round failed: {}", ex.toString());
        }
    }

    private void controlTick() {
        if (state.get() == WorkerState.RUNNING) {
            controlLoop.tick();
        }
    }

    boolean shutdown(Duration timeout) {
        WorkerState current = state.get();
        if (current == WorkerState.CREATED || current == WorkerState.STOPPED || current == WorkerState.FAILED) {
            state.compareAndSet(WorkerState.CREATED, WorkerState.STOPPED);
            return true;
        }
        if (!state.compareAndSet(WorkerState.RUNNING, WorkerState.SHUTTING_DOWN)) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        logger.info("Worker {} shutting down: finishing batches, checkpointing, releasing {} leases", config.workerId(),
                coordinator.heldLeases().size());
        supervisor.stopStarting();
        threads.control.shutdown();
        awaitTermination(threads.control, deadline);
        supervisor.requestShutdownAll();
        boolean allStopped = supervisor.awaitAll(deadline);
        if (!allStopped) {
            List<String> abandoned = supervisor.abandonUnfinished();
            logger.warn("Worker {}: the processors of {} did not finish within {}; their leases are left to expire "
                    + "and their checkpoints are refused from now on", config.workerId(), abandoned, timeout);
        }
        for (HeldLeaseView held : coordinator.heldLeases()) {
            ShardConsumer consumer = supervisor.consumer(held.lease().leaseKey());
            if (consumer == null || consumer.isFinished()) {
                coordinator.release(held.lease().leaseKey(), held.token());
            }
        }
        threads.shutdownNow();
        if (fanOut != null) {
            fanOut.shutdown();
        }
        if (!allStopped) {
            threads.awaitProcessing(ABANDON_GRACE);
        }
        metrics.close();
        state.set(WorkerState.STOPPED);
        logger.info("Worker {} stopped{}", config.workerId(), allStopped ? "" : " (some processors did not finish in time)");
        return allStopped;
    }

    /** Stops at once without releasing leases or letting processors checkpoint: a crash, for failover tests. */
    void halt() {
        state.set(WorkerState.STOPPED);
        coordinator.abandonAll();
        supervisor.abandonUnfinished();
        threads.shutdownNow();
        metrics.close();
        logger.info("Worker {} halted without releasing its leases", config.workerId());
    }

    private static void awaitTermination(ExecutorService executor, long deadlineNanos) {
        try {
            executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    WorkerState state() {
        return state.get();
    }

    @Nullable Throwable failure() {
        return failure;
    }

    List<HeldLease> heldLeases() {
        List<HeldLease> result = new ArrayList<>();
        for (HeldLeaseView held : coordinator.heldLeases()) {
            Lease lease = held.lease();
            StreamRef stream = streams.of(lease.leaseKey());
            if (stream == null) {
                continue;
            }
            ShardConsumer consumer = supervisor.consumer(lease.leaseKey());
            result.add(new HeldLease(stream.streamName(), stream.shardIdOf(lease.leaseKey()), lease.leaseKey(),
                    lease.checkpoint().toString(), consumer == null ? null : consumer.millisBehindLatest(),
                    lease.leaseCounter()));
        }
        return result;
    }

    List<ShardFailure> shardFailures() {
        return failures.snapshot();
    }

    Map<String, Instant> deletedStreams() {
        return states.deletedSince();
    }

    @Nullable Instant startedAt() {
        return startedAt;
    }

    List<String> streamNames() {
        return streams.all().stream().map(StreamRef::streamName).toList();
    }

    @Nullable Instant lastRenewal() {
        return coordinator.lastRenewal();
    }

    void pause(String stream) {
        states.pause(nameOf(stream));
    }

    void resume(String stream) {
        states.resume(nameOf(stream));
        supervisor.wake(nameOf(stream));
    }

    void stopStream(String stream) {
        states.stop(nameOf(stream));
    }

    void startStream(String stream) {
        states.start(nameOf(stream));
    }

    boolean isStreamStopped(String stream) {
        return states.isStopped(nameOf(stream));
    }

    boolean isPaused(String stream) {
        return states.isPaused(nameOf(stream));
    }

    /** The name of a stream given by name or ARN. */
    private static String nameOf(String stream) {
        return StreamRef.of(stream, false).streamName();
    }

    /** Counts lease events and wakes the consumer of a lost lease at once. */
    private final class Events implements LeaseEvents {

        @Override
        public void leaseTaken(String leaseKey) {
            metrics.leaseTaken();
        }

        @Override
        public void leaseLost(String leaseKey) {
            metrics.leaseLost();
            supervisor.leaseLost(leaseKey);
        }

        @Override
        public void handoffRequested(String leaseKey) {
            supervisor.handoffRequested(leaseKey);
        }
    }
}
