package dev.kclboot.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.aggregation.DeaggregationListener;
import dev.kclboot.core.aggregation.MicrometerDeaggregationListener;
import dev.kclboot.core.aggregation.RecordDeaggregator;
import dev.kclboot.core.lease.HeldLeaseView;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.LeaseEvents;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.consumer.ConsumerContext;
import dev.kclboot.core.lease.LeaseCleaner;
import dev.kclboot.core.consumer.ShardConsumer;
import dev.kclboot.core.stream.ShardLister;
import dev.kclboot.core.sync.ShardSyncer;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moving parts behind {@link Worker}: a renewal thread, a control thread (shard sync, lease taking, cleanup,
 * starting and stopping consumers) and one thread per shard consumer.
 */
final class WorkerEngine {

    private static final Logger logger = LoggerFactory.getLogger(WorkerEngine.class);

    private static final Duration CONTROL_TICK = Duration.ofMillis(100);

    private final WorkerConfig config;

    private final List<StreamRef> streams;

    private final LeaseTable table;

    private final LeaseCoordinator coordinator;

    private final ShardSyncer syncer;

    private final LeaseCleaner cleaner;

    private final EngineMetrics metrics;

    private final ConsumerContext consumerContext;

    private final Map<String, ShardConsumer> consumers = new ConcurrentHashMap<>();

    private final Set<String> pausedStreams = ConcurrentHashMap.newKeySet();

    /** Streams whose leases this worker neither takes nor keeps (see {@link Worker#stopStream}). */
    private final Set<String> stoppedStreams = ConcurrentHashMap.newKeySet();

    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.CREATED);

    private volatile @Nullable Throwable failure;

    private @Nullable ScheduledExecutorService renewer;

    private @Nullable ScheduledExecutorService control;

    private @Nullable ExecutorService consumerThreads;

    /** Threads are made on demand; idle ones end after a minute. */
    private final ExecutorService prefetchThreads;

    private volatile @Nullable Instant startedAt;

    private long nextTakeNanos;

    private long nextSyncNanos;

    WorkerEngine(WorkerConfig config) {
        this.config = config;
        this.streams = config.streams().stream().map(stream -> StreamRef.of(stream, config.multiStream())).toList();
        this.metrics = new EngineMetrics(config.meterRegistry(), config.applicationName());
        this.table = new LeaseTable(config.dynamoDb(), config.leaseTableName());
        this.coordinator = new LeaseCoordinator(table, config.workerId(), config.failoverTime(),
                config.maxLeasesPerWorker(), config.maxLeasesToStealAtOneTime(),
                key -> streams.stream().anyMatch(stream -> stream.owns(key)
                        && !stoppedStreams.contains(stream.streamName())), new Events());
        this.syncer = new ShardSyncer(new ShardLister(config.kinesis()), table, config.initialPosition());
        this.cleaner = new LeaseCleaner(table);
        Duration parentPoll = Duration.ofMillis(Math.min(1000, Math.max(50, config.failoverTime().toMillis() / 4)));
        this.prefetchThreads = Executors.newCachedThreadPool(threads("kcl-" + config.applicationName() + "-prefetch"));
        DeaggregationListener deaggregationListener = config.meterRegistry() == null ? DeaggregationListener.NONE
                : new MicrometerDeaggregationListener(config.meterRegistry(),
                        io.micrometer.core.instrument.Tags.of("application", config.applicationName()));
        this.consumerContext = new ConsumerContext(config.kinesis(), coordinator, syncer, config.processorFactory(),
                new RecordDeaggregator(deaggregationListener), config.initialPosition(), config.maxRecords(), config.idleTimeBetweenReads(),
                parentPoll, new ExponentialBackoff(config.processingRetryInitialBackoff(), config.processingRetryMaxBackoff()),
                config.skipFailedBatches(), pausedStreams::contains, metrics, prefetchThreads);
    }

    void start() {
        if (!state.compareAndSet(WorkerState.CREATED, WorkerState.INITIALIZING)) {
            throw new IllegalStateException("Worker " + config.workerId() + " was already started (" + state.get() + ")");
        }
        startedAt = Instant.now();
        try {
            new StartupChecks(config, streams, table).run();
        }
        catch (RuntimeException ex) {
            failure = ex;
            state.set(WorkerState.FAILED);
            throw ex;
        }
        String prefix = "kcl-" + config.applicationName();
        renewer = Executors.newSingleThreadScheduledExecutor(threads(prefix + "-renewer"));
        control = Executors.newSingleThreadScheduledExecutor(threads(prefix + "-control"));
        consumerThreads = Executors.newCachedThreadPool(threads(prefix + "-shard"));
        metrics.leasesHeld(() -> coordinator.heldLeases().size());
        state.set(WorkerState.RUNNING);
        renewer.scheduleWithFixedDelay(this::renew, config.renewalInterval().toMillis(),
                config.renewalInterval().toMillis(), TimeUnit.MILLISECONDS);
        control.scheduleWithFixedDelay(this::controlTick, 0, CONTROL_TICK.toMillis(), TimeUnit.MILLISECONDS);
        logger.info("Worker {} of {} started on {} (lease table {})", config.workerId(), config.applicationName(),
                streams, table.tableName());
    }

    private void renew() {
        try {
            coordinator.renewLeases();
        }
        catch (RuntimeException ex) {
            logger.warn("Lease renewal round failed: {}", ex.toString());
        }
    }

    private void controlTick() {
        if (state.get() != WorkerState.RUNNING) {
            return;
        }
        boolean syncDue = false;
        try {
            long now = System.nanoTime();
            boolean take = now - nextTakeNanos >= 0;
            syncDue = now - nextSyncNanos >= 0;
            if (syncDue) {
                List<Lease> existing = table.listLeases();
                int created = 0;
                for (StreamRef stream : streams) {
                    created += syncer.sync(stream, existing);
                    cleaner.clean(stream, existing);
                }
                nextSyncNanos = now + config.shardSyncInterval().toNanos();
                take |= created > 0;
            }
            if (take) {
                coordinator.takeLeases();
                nextTakeNanos = now + config.takingInterval().toNanos();
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Lease taking / shard sync round failed: {}", ex.toString());
            nextTakeNanos = System.nanoTime() + config.takingInterval().toNanos();
            if (syncDue && System.nanoTime() - nextSyncNanos >= 0) {
                // The sync failed: try again at the taking pace, not on every control tick.
                nextSyncNanos = nextTakeNanos;
            }
        }
        reconcileConsumers();
    }

    /** Starts a consumer for every held lease without one; wakes consumers whose lease was lost. */
    private void reconcileConsumers() {
        for (ShardConsumer consumer : consumers.values()) {
            if (consumer.isFinished() && coordinator.isHeld(consumer.leaseKey(), consumer.tenure().token())) {
                // The consumer failed (a processor or a non-retryable Kinesis error): give the lease up rather than
                // restart it at once, so the next taking round (by this or another worker) backs off the retry.
                logger.warn("Consumer of {} ended with its lease still held; releasing the lease", consumer.leaseKey());
                coordinator.release(consumer.leaseKey(), consumer.tenure().token());
            }
        }
        consumers.values().removeIf(ShardConsumer::isFinished);
        for (HeldLeaseView held : coordinator.heldLeases()) {
            String key = held.lease().leaseKey();
            if (consumers.containsKey(key)) {
                continue; // Running, or an older tenure still stopping (the new one starts when it is gone).
            }
            StreamRef stream = streamOf(key);
            if (stream == null || held.lease().isFinished() || stoppedStreams.contains(stream.streamName())) {
                coordinator.release(key, held.token());
                continue;
            }
            ShardConsumer consumer = new ShardConsumer(consumerContext, stream, held);
            consumers.put(key, consumer);
            consumerThreads.execute(consumer);
        }
        for (ShardConsumer consumer : consumers.values()) {
            if (!coordinator.isHeld(consumer.leaseKey(), consumer.tenure().token())) {
                consumer.leaseLost();
            }
            else if (stoppedStreams.contains(consumer.stream().streamName())) {
                // Graceful: the batch in flight finishes, shutdown(REQUESTED) may checkpoint, then the lease is released.
                consumer.requestShutdown();
            }
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
        control.shutdown();
        awaitTermination(control, deadline);
        consumers.values().forEach(ShardConsumer::requestShutdown);
        boolean allStopped = awaitConsumers(deadline);
        for (HeldLeaseView held : coordinator.heldLeases()) {
            ShardConsumer consumer = consumers.get(held.lease().leaseKey());
            if (consumer == null || consumer.isFinished()) {
                coordinator.release(held.lease().leaseKey(), held.token());
            }
        }
        renewer.shutdownNow();
        consumerThreads.shutdownNow();
        prefetchThreads.shutdownNow();
        metrics.close();
        state.set(WorkerState.STOPPED);
        logger.info("Worker {} stopped{}", config.workerId(), allStopped ? "" : " (some processors did not finish in time)");
        return allStopped;
    }

    /** Stops at once without releasing leases or letting processors checkpoint: a crash, for failover tests. */
    void halt() {
        state.set(WorkerState.STOPPED);
        control.shutdownNow();
        renewer.shutdownNow();
        coordinator.abandonAll();
        consumers.values().forEach(ShardConsumer::leaseLost);
        consumerThreads.shutdownNow();
        prefetchThreads.shutdownNow();
        metrics.close();
        logger.info("Worker {} halted without releasing its leases", config.workerId());
    }

    private boolean awaitConsumers(long deadlineNanos) {
        while (consumers.values().stream().anyMatch(consumer -> !consumer.isFinished())) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
            StreamRef stream = streamOf(lease.leaseKey());
            if (stream == null) {
                continue;
            }
            ShardConsumer consumer = consumers.get(lease.leaseKey());
            result.add(new HeldLease(stream.streamName(), stream.shardIdOf(lease.leaseKey()), lease.leaseKey(),
                    lease.checkpoint().toString(), consumer == null ? null : consumer.millisBehindLatest(),
                    lease.leaseCounter()));
        }
        return result;
    }

    @Nullable Instant startedAt() {
        return startedAt;
    }

    List<String> streamNames() {
        return streams.stream().map(StreamRef::streamName).toList();
    }

    @Nullable Instant lastRenewal() {
        return coordinator.lastRenewal();
    }

    void pause(String stream) {
        pausedStreams.add(nameOf(stream));
    }

    void resume(String stream) {
        pausedStreams.remove(nameOf(stream));
    }

    void stopStream(String stream) {
        stoppedStreams.add(nameOf(stream));
    }

    void startStream(String stream) {
        stoppedStreams.remove(nameOf(stream));
    }

    boolean isStreamStopped(String stream) {
        return stoppedStreams.contains(nameOf(stream));
    }

    boolean isPaused(String stream) {
        return pausedStreams.contains(nameOf(stream));
    }

    /** The configured stream a lease key belongs to, or null for another stream's lease. */
    private @Nullable StreamRef streamOf(String leaseKey) {
        return streams.stream().filter(stream -> stream.owns(leaseKey)).findFirst().orElse(null);
    }

    /** The name of a stream given by name or ARN. */
    private static String nameOf(String stream) {
        return StreamRef.of(stream, false).streamName();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
            ShardConsumer consumer = consumers.get(leaseKey);
            if (consumer != null) {
                consumer.leaseLost();
            }
        }
    }
}
