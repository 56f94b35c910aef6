package dev.kclboot.spring.listener;

import dev.kclboot.core.Worker;
import dev.kclboot.core.processor.RecordProcessor;
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

    /** Stopped: batches handed over from now on are refused (and delivered again later). */
    void markStopped() {
        running = false;
        stopSignal.signal();
    }

    void setPauseRequested(boolean pauseRequested) {
        this.pauseRequested = pauseRequested;
    }

    RecordProcessor createProcessor(String streamName) {
        return new ListenerRecordProcessor(this, streamName);
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

    @Override
    public String toString() {
        return "KinesisListenerContainer{id=" + getId() + ", stream=" + settings.stream() + ", application="
                + settings.applicationName() + ", running=" + running + "}";
    }
}
