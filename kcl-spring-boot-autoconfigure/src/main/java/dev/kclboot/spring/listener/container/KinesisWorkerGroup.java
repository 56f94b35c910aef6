package dev.kclboot.spring.listener.container;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.kclboot.core.Worker;
import dev.kclboot.core.WorkerConfig;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.spring.listener.RetrievalMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkClient;

/**
 * The {@link Worker} of one application name and the listener containers it feeds, one per stream. The worker
 * consumes the streams of all its containers from one lease table; the stream of a container that is not running
 * is stopped in the worker (its leases are released and not taken), the stream of a paused one is paused (leases
 * kept). A worker cannot be started twice, so starting the group after it was shut down builds a new worker (and
 * hands it to the {@code workerCreated} callback, which registers it as a bean).
 */
public final class KinesisWorkerGroup {

    private static final Logger logger = LoggerFactory.getLogger(KinesisWorkerGroup.class);

    private final String applicationName;

    private final KinesisWorkerFactory workerFactory;

    private final Duration shutdownTimeout;

    private final Consumer<Worker> workerCreated;

    private final Map<String, KinesisListenerContainer> containers = new LinkedHashMap<>();

    /** A copy of {@link #containers} that engine threads read without taking the group's lock. */
    private volatile Map<String, KinesisListenerContainer> containersByStream = Map.of();

    /**
     * Written under the group's lock; volatile so that health checks and the operations endpoint read it without
     * waiting behind a worker that is starting (AWS calls) or shutting down (up to the shutdown timeout).
     */
    private volatile @Nullable Worker worker;

    private volatile boolean started;

    /**
     * @param applicationName the application name of every container of the group
     * @param workerFactory builds the worker
     * @param shutdownTimeout how long a graceful worker shutdown may take
     * @param workerCreated called with every worker built
     */
    public KinesisWorkerGroup(String applicationName, KinesisWorkerFactory workerFactory, Duration shutdownTimeout,
            Consumer<Worker> workerCreated) {
        this.applicationName = applicationName;
        this.workerFactory = workerFactory;
        this.shutdownTimeout = shutdownTimeout;
        this.workerCreated = workerCreated;
    }

    public String getApplicationName() {
        return applicationName;
    }

    public synchronized List<KinesisListenerContainer> getContainers() {
        return List.copyOf(containers.values());
    }

    /** The current worker: null before {@link #prepareWorker()} and after a shutdown. Never blocks. */
    public @Nullable Worker getWorker() {
        return worker;
    }

    /** Whether the worker is running. Never blocks. */
    public boolean isRunning() {
        return started;
    }

    /**
     * Adds a container; its stream must not be consumed by another container of the group.
     * @throws IllegalStateException when the stream is taken or the worker was already built
     */
    public synchronized void addContainer(KinesisListenerContainer container) {
        String stream = container.getSettings().stream();
        KinesisListenerContainer existing = containers.get(stream);
        if (existing != null) {
            throw new IllegalStateException("Listeners '" + existing.getId() + "' and '" + container.getId()
                    + "' both consume stream '" + stream + "' with application name '" + applicationName
                    + "'; one lease table has one processor per shard: give one of them its own applicationName");
        }
        if (worker != null) {
            throw new IllegalStateException("The worker of application '" + applicationName
                    + "' is already built; listener '" + container.getId() + "' cannot join it");
        }
        container.attach(this);
        containers.put(stream, container);
        containersByStream = Map.copyOf(containers);
    }

    /** Builds the worker unless it exists, so that its settings are validated before anything starts. */
    public synchronized Worker prepareWorker() {
        Worker current = worker;
        if (current == null) {
            current = workerFactory.createWorker(applicationName, List.copyOf(containers.keySet()), this::processorFor,
                    retrieval());
            worker = current;
            workerCreated.accept(current);
        }
        return current;
    }

    /** The retrieval mode the containers ask for (null when none does); one worker reads every stream one way. */
    private @Nullable RetrievalMode retrieval() {
        KinesisListenerContainer chosenBy = null;
        for (KinesisListenerContainer container : containers.values()) {
            RetrievalMode mode = container.getSettings().retrieval();
            if (mode == null) {
                continue;
            }
            if (chosenBy != null && chosenBy.getSettings().retrieval() != mode) {
                throw new IllegalStateException("Listeners '" + chosenBy.getId() + "' (retrieval "
                        + chosenBy.getSettings().retrieval() + ") and '" + container.getId() + "' (retrieval " + mode
                        + ") share application name '" + applicationName + "' and so one worker, which reads all its "
                        + "streams one way: give them the same retrieval, or one of them its own applicationName");
            }
            chosenBy = container;
        }
        return chosenBy == null ? null : chosenBy.getSettings().retrieval();
    }

    /** Starts the containers that start with the application context. */
    public synchronized void startAutoStartupContainers() {
        startContainers(containers.values().stream().filter(KinesisListenerContainer::isAutoStartup).toList());
    }

    /** Stops every container and shuts the worker down gracefully, releasing its leases. */
    public synchronized void stopAll() {
        stopAll(shutdownTimeout);
    }

    /**
     * Stops every container and shuts the worker down gracefully within {@code timeout}: listener calls still
     * running near its end are abandoned, so that what is done is checkpointed and the leases are released in time.
     */
    public synchronized void stopAll(Duration timeout) {
        if (started) {
            shutdownWorker(timeout);
        }
        containers.values().forEach(KinesisListenerContainer::markStopped);
    }

    /** Stops the listener containers' delivery threads once idle; for the end of the application context. */
    public synchronized void close() {
        containers.values().forEach(KinesisListenerContainer::close);
    }

    synchronized void start(KinesisListenerContainer container) {
        startContainers(List.of(container));
    }

    synchronized void stop(KinesisListenerContainer container) {
        Worker current = worker;
        if (!started || current == null) {
            container.markStopped();
            return;
        }
        if (containers.values().stream().anyMatch(other -> other != container && other.isRunning())) {
            container.markStopped();
            logger.info("Listener '{}' stopped; the worker of application '{}' releases the leases of stream {} and "
                    + "goes on with its other listeners", container.getId(), applicationName,
                    container.getSettings().stream());
            current.stopStream(container.getSettings().stream());
        }
        else {
            shutdownWorker(shutdownTimeout);
        }
    }

    synchronized void pause(KinesisListenerContainer container) {
        container.setPauseRequested(true);
        Worker current = worker;
        if (started && current != null) {
            current.pause(container.getSettings().stream());
        }
    }

    synchronized void resume(KinesisListenerContainer container) {
        container.setPauseRequested(false);
        Worker current = worker;
        if (started && current != null && container.isRunning()) {
            current.resume(container.getSettings().stream());
        }
    }

    private void startContainers(List<KinesisListenerContainer> toStart) {
        if (toStart.isEmpty()) {
            return;
        }
        toStart.forEach(KinesisListenerContainer::markRunning);
        Worker current = worker;
        if (started && current != null) {
            for (KinesisListenerContainer container : toStart) {
                current.startStream(container.getSettings().stream());
                if (!container.isPaused()) {
                    current.resume(container.getSettings().stream());
                }
            }
            return;
        }
        current = prepareWorker();
        for (KinesisListenerContainer container : containers.values()) {
            if (!container.isRunning()) {
                // Not started: take none of its shards, so other instances can consume them.
                current.stopStream(container.getSettings().stream());
            }
            else if (container.isPaused()) {
                current.pause(container.getSettings().stream());
            }
        }
        try {
            current.start();
            started = true;
            logger.info("Kinesis worker {} of application '{}' started on {}", current.workerId(), applicationName,
                    containers.keySet());
        }
        catch (RuntimeException ex) {
            containers.values().forEach(KinesisListenerContainer::markStopped);
            worker = null;
            if (ex instanceof dev.kclboot.core.WorkerStartException) {
                WorkerConfig config = current.config();
                String region = regionOf(config);
                throw new KinesisWorkerStartException(applicationName, config.leaseTableName(), config.streams(),
                        region, endpointOf(config.kinesis(), "kinesis", region),
                        endpointOf(config.dynamoDb(), "dynamodb", region), ex);
            }
            throw ex;
        }
    }

    private void shutdownWorker(Duration timeout) {
        Worker current = worker;
        started = false;
        worker = null;
        if (current == null) {
            return;
        }
        Duration drain = drainTime(timeout);
        logger.info("Stopping Kinesis worker {} of application '{}' (timeout {}, listener calls waited for {})",
                current.workerId(), applicationName, timeout, drain);
        containers.values().forEach(container -> container.beginStop(drain));
        boolean clean = current.shutdown(timeout);
        containers.values().forEach(KinesisListenerContainer::markStopped);
        if (!clean) {
            logger.warn("Kinesis worker {} of application '{}' did not stop within {}; leases not released are "
                    + "taken by other instances after the failover time", current.workerId(), applicationName,
                    timeout);
        }
    }

    /** How long a stop of this group waits for listener calls in flight: see {@link #drainTime(Duration)}. */
    Duration drainTime() {
        return drainTime(shutdownTimeout);
    }

    /**
     * How long a stop waits for listener calls in flight: the timeout less a reserve for what comes after them (the
     * checkpoint and the lease release, one DynamoDB write each per shard), a quarter of the timeout up to 3s.
     */
    static Duration drainTime(Duration timeout) {
        Duration reserve = timeout.dividedBy(4);
        if (reserve.compareTo(Duration.ofSeconds(3)) > 0) {
            reserve = Duration.ofSeconds(3);
        }
        return timeout.minus(reserve);
    }

    private RecordProcessor processorFor(String streamName) {
        KinesisListenerContainer container = containerFor(streamName);
        if (container == null) {
            throw new IllegalStateException("No listener of application '" + applicationName + "' consumes stream '"
                    + streamName + "'");
        }
        return container.createProcessor(streamName);
    }

    private @Nullable KinesisListenerContainer containerFor(String streamName) {
        Map<String, KinesisListenerContainer> containers = this.containersByStream;
        KinesisListenerContainer container = containers.get(streamName);
        if (container != null) {
            return container;
        }
        List<KinesisListenerContainer> byName = new ArrayList<>();
        for (Map.Entry<String, KinesisListenerContainer> entry : containers.entrySet()) {
            if (nameOf(entry.getKey()).equals(nameOf(streamName))) {
                byName.add(entry.getValue());
            }
        }
        return (byName.size() == 1) ? byName.get(0) : null;
    }

    /** The stream name of an ARN ({@code arn:aws:kinesis:region:account:stream/name}), else the value itself. */
    private static String nameOf(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return (nameOrArn.startsWith("arn:") && slash >= 0) ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    /** The endpoint override of a client, else the AWS endpoint of its region (for reports only). */
    private static String endpointOf(SdkClient client, String service, @Nullable String region) {
        try {
            return client.serviceClientConfiguration().endpointOverride().map(URI::toString)
                    .orElse("https://" + service + "." + ((region != null) ? region : "<region>") + ".amazonaws.com");
        }
        catch (RuntimeException ex) {
            return "(not known)";
        }
    }

    private static @Nullable String regionOf(WorkerConfig config) {
        try {
            var region = config.kinesis().serviceClientConfiguration().region();
            return (region != null) ? region.id() : null;
        }
        catch (RuntimeException ex) {
            return null;
        }
    }
}
