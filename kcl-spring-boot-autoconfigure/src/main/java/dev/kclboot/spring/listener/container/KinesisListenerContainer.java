package dev.kclboot.spring.listener.container;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.Worker;
import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.ShardStatus;
import dev.kclboot.spring.listener.delivery.DeliveryContainer;
import dev.kclboot.spring.listener.delivery.ListenerRecordProcessor;
import dev.kclboot.spring.listener.delivery.KeyOrderedListenerProcessor;
import dev.kclboot.spring.listener.delivery.ShardStatusSource;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one listener: makes a record processor per shard lease of its stream that delivers records to the listener,
 * retries failures, recovers and checkpoints. The {@link Worker} that feeds it is shared by every container with the
 * same application name (see {@link KinesisWorkerGroup}).
 * <p>
 * Stopping the last running container of a worker shuts the worker down gracefully (batches finish, what is done is
 * checkpointed, leases are released). Stopping one of several stops its stream in the worker: its shards' batches
 * finish, their leases are released for other instances, and the worker goes on with its other streams.
 * <p>
 * Listener calls run on the container's own (daemon) threads, one per shard being delivered at that moment (with a
 * concurrency above 1, up to that many per shard), so that a stop can hand a shard back to the engine while a call is
 * still running once its drain time has passed.
 */
public final class KinesisListenerContainer {

    private static final Logger logger = LoggerFactory.getLogger(KinesisListenerContainer.class);

    private final KinesisListenerSettings settings;

    private final KinesisMessageListener listener;

    private final StopSignal stopSignal = new StopSignal();

    private volatile boolean running;

    private volatile boolean pauseRequested;

    private volatile @Nullable KinesisWorkerGroup group;

    private volatile @Nullable String stopFailure;

    private final KinesisListenerMetrics metrics;

    private final Set<ShardStatusSource> shards = ConcurrentHashMap.newKeySet();

    private final ExecutorService deliveryThreads;

    /** Runs the listener calls of a concurrency above 1: the delivery threads unless an executor was given. */
    private final Executor parallelExecutor;

    /** Dispatches the shards' records by key when the concurrency is above 1; made when the first shard starts. */
    private @Nullable KeyOrderedProcessorFactory keyOrdered;

    /** What the shard processors may do with this container, kept off its public API. */
    private final DeliveryContainer deliveryView = new DeliveryView();

    public KinesisListenerContainer(KinesisListenerSettings settings, KinesisMessageListener listener) {
        this(settings, listener, KinesisListenerMetrics.NONE);
    }

    /**
     * @param settings the listener's settings
     * @param listener receives the records
     * @param metrics records retries, recovered records and listener failures
     */
    public KinesisListenerContainer(KinesisListenerSettings settings, KinesisMessageListener listener,
            KinesisListenerMetrics metrics) {
        this(settings, listener, metrics, null);
    }

    /**
     * @param settings the listener's settings
     * @param listener receives the records
     * @param metrics records retries, recovered records and listener failures
     * @param parallelExecutor runs the listener calls when the concurrency is above 1 (virtual threads, say), or null
     * for this container's own threads
     */
    public KinesisListenerContainer(KinesisListenerSettings settings, KinesisMessageListener listener,
            KinesisListenerMetrics metrics, @Nullable Executor parallelExecutor) {
        if (settings.batch() && !(listener instanceof KinesisBatchListener)) {
            throw new IllegalArgumentException("Listener '" + settings.id() + "' is a batch listener and needs a "
                    + KinesisBatchListener.class.getSimpleName());
        }
        if (!settings.batch() && !(listener instanceof KinesisRecordListener)) {
            throw new IllegalArgumentException("Listener '" + settings.id() + "' is a record listener and needs a "
                    + KinesisRecordListener.class.getSimpleName());
        }
        this.settings = settings;
        this.listener = listener;
        this.metrics = metrics;
        this.deliveryThreads = deliveryThreads(settings.id());
        this.parallelExecutor = (parallelExecutor != null) ? parallelExecutor : deliveryThreads;
    }

    /**
     * As many threads as shards are delivered at once (the engine runs one delivery per shard at a time); idle
     * threads end after a minute. Daemon threads, so an abandoned listener call never keeps the JVM alive.
     */
    private static ExecutorService deliveryThreads(String id) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "kcl-listener-" + id + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
    }

    public String getId() {
        return settings.id();
    }

    public KinesisListenerSettings getSettings() {
        return settings;
    }

    public KinesisMessageListener getListener() {
        return listener;
    }

    /** The container's meters ({@link KinesisListenerMetrics#NONE} without a meter registry). */
    public KinesisListenerMetrics getMetrics() {
        return metrics;
    }

    /** Starts delivering records (starting the worker if it is not running). */
    public void start() {
        group().start(this);
    }

    /** Stops delivering records; see the class description for what happens to the worker and its leases. */
    public void stop() {
        group().stop(this);
    }

    /** Stops delivering records of the stream until {@link #resume()}; the worker keeps renewing the leases. */
    public void pause() {
        group().pause(this);
    }

    public void resume() {
        group().resume(this);
    }

    public boolean isRunning() {
        return running;
    }

    /** Whether a pause was requested (and not resumed). */
    public boolean isPaused() {
        return pauseRequested;
    }

    /**
     * Why this container stopped itself (a record failed every attempt with {@link ExhaustedAction#STOP}), or null;
     * cleared when it is started again.
     */
    public @Nullable String getStopFailure() {
        return stopFailure;
    }

    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    /** What each shard processor of this container is doing now (the shards this instance holds), sorted by stream and shard. */
    public List<ShardStatus> getShardStatuses() {
        return shards.stream().map(ShardStatusSource::snapshot)
                .sorted(Comparator.comparing(ShardStatus::stream).thenComparing(ShardStatus::shardId)).toList();
    }

    /** Ends the delivery threads once they are idle (listener calls still running are not interrupted). */
    public void close() {
        deliveryThreads.shutdown();
    }

    /** The worker feeding this container now, null before it was built or after it was shut down. */
    public @Nullable Worker getWorker() {
        KinesisWorkerGroup current = group;
        return (current != null) ? current.getWorker() : null;
    }

    void attach(KinesisWorkerGroup group) {
        if (this.group != null && this.group != group) {
            throw new IllegalStateException("Listener '" + getId() + "' already belongs to a worker group");
        }
        this.group = group;
    }

    void markRunning() {
        stopSignal.reset();
        stopFailure = null;
        running = true;
    }

    /**
     * A graceful stop began: retries and backoff waits end at once, but records of a batch in flight still get
     * their first attempt (the engine hands over no new batch once its shutdown was requested).
     */
    void beginStop() {
        stopSignal.signal();
    }

    /**
     * As {@link #beginStop()}, and listener calls still running after {@code drainTime} are no longer waited for:
     * their shards checkpoint what is done and are handed back, so the engine can release the leases in time.
     */
    void beginStop(Duration drainTime) {
        stopSignal.signal(drainTime);
    }

    /** Whether a stop's drain time has passed. */
    boolean isDrainExpired() {
        return stopSignal.drainExpired();
    }

    <T> Future<T> submitDelivery(Callable<T> delivery) {
        return deliveryThreads.submit(delivery);
    }

    void shardStarted(ShardStatusSource state) {
        shards.add(state);
    }

    void shardStopped(ShardStatusSource state) {
        shards.remove(state);
    }

    /** Stopped: batches handed over from now on are refused (and delivered again later). */
    void markStopped() {
        running = false;
        stopSignal.signal();
    }

    void setPauseRequested(boolean pauseRequested) {
        this.pauseRequested = pauseRequested;
    }

    RecordProcessor createProcessor(String streamName) {
        if (settings.delivery().isParallel()) {
            return new KeyOrderedListenerProcessor(deliveryView, streamName, keyOrdered(), group().drainTime());
        }
        return new ListenerRecordProcessor(deliveryView, streamName);
    }

    /**
     * The factory of key-ordered shard processors: records run on this container's delivery threads (or the given
     * executor); a graceful stop waits for the records in flight until the stop's drain time has passed; the watermark is written at every
     * move in RECORD mode, at most once a second in BATCH mode (there is no single batch to end when several are in
     * flight) and at the interval in PERIODIC mode.
     */
    private synchronized KeyOrderedProcessorFactory keyOrdered() {
        KeyOrderedProcessorFactory current = keyOrdered;
        if (current == null) {
            KeyOrderedProcessorFactory.Builder builder = KeyOrderedProcessorFactory.builder()
                    .concurrency(settings.delivery().concurrency())
                    .window(settings.delivery().window())
                    .executor(parallelExecutor)
                    .checkpointInterval(switch (settings.checkpointMode()) {
                        case RECORD -> Duration.ZERO;
                        case PERIODIC -> settings.checkpointInterval();
                        default -> Duration.ofSeconds(1);
                    })
                    .shutdownTimeout(group().drainTime())
                    // One deadline for every shard of a stop: a shard whose shutdown begins late waits less.
                    .drainCutoff(this::isDrainExpired);
            MeterRegistry registry = metrics.registry();
            if (registry != null) {
                builder.meterRegistry(registry, settings.applicationName());
            }
            current = builder.build();
            keyOrdered = current;
        }
        return current;
    }

    /** Whether shard processors accept records (false once the container stopped). */
    boolean isActive() {
        return running;
    }

    /** Whether a stop began: no more retries or backoff waits. */
    boolean isStopping() {
        return stopSignal.isSet();
    }

    /** Waits between attempts; false when the container began to stop meanwhile. */
    boolean awaitBackOff(long millis) {
        return stopSignal.await(millis);
    }

    /**
     * Stops this container from another thread: the caller is a shard processor the stop waits for.
     * @param reason what failed, shown by the health indicator until the container is started again
     */
    void stopAfterFailure(String reason) {
        stopFailure = reason;
        markStopped();
        Thread stopper = new Thread(() -> {
            try {
                stop();
            }
            catch (RuntimeException ex) {
                logger.error("Could not stop listener '{}'", getId(), ex);
            }
        }, "kcl-stop-" + getId());
        stopper.setDaemon(true);
        stopper.start();
    }

    private KinesisWorkerGroup group() {
        KinesisWorkerGroup current = group;
        if (current == null) {
            throw new IllegalStateException("Listener '" + getId() + "' is not registered with a worker group");
        }
        return current;
    }

    /** The container's controls as its shard processors use them. */
    private final class DeliveryView implements DeliveryContainer {

        @Override
        public KinesisListenerSettings getSettings() {
            return settings;
        }

        @Override
        public KinesisMessageListener getListener() {
            return listener;
        }

        @Override
        public KinesisListenerMetrics getMetrics() {
            return metrics;
        }

        @Override
        public boolean isActive() {
            return KinesisListenerContainer.this.isActive();
        }

        @Override
        public boolean isStopping() {
            return KinesisListenerContainer.this.isStopping();
        }

        @Override
        public boolean awaitBackOff(long millis) {
            return KinesisListenerContainer.this.awaitBackOff(millis);
        }

        @Override
        public boolean isDrainExpired() {
            return KinesisListenerContainer.this.isDrainExpired();
        }

        @Override
        public <T> Future<T> submitDelivery(Callable<T> delivery) {
            return KinesisListenerContainer.this.submitDelivery(delivery);
        }

        @Override
        public void shardStarted(ShardStatusSource state) {
            KinesisListenerContainer.this.shardStarted(state);
        }

        @Override
        public void shardStopped(ShardStatusSource state) {
            KinesisListenerContainer.this.shardStopped(state);
        }

        @Override
        public void stopAfterFailure(String reason) {
            KinesisListenerContainer.this.stopAfterFailure(reason);
        }
    }

    @Override
    public String toString() {
        return "KinesisListenerContainer{id=" + getId() + ", stream=" + settings.stream() + ", application="
                + settings.applicationName() + ", running=" + running + "}";
    }
}
