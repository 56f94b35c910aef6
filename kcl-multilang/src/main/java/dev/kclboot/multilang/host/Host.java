package dev.kclboot.multilang.host;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kclboot.core.Retrieval;
import dev.kclboot.core.Worker;
import dev.kclboot.multilang.child.ChildLauncher;
import dev.kclboot.multilang.config.MultiLangSettings;
import dev.kclboot.multilang.processor.LiveChildren;
import dev.kclboot.multilang.processor.MultiLangProcessorFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * A running MultiLang host: the engine's {@link Worker} on the settings' stream and lease table, with one child per
 * held lease. {@link #stop()} is the graceful stop of SIGTERM / Ctrl-C: no new child starts, every child gets
 * {@code shutdownRequested} (it may checkpoint) and {@code leaseLost}, the leases are released; a child still running
 * shortly before the shutdown grace ends is killed, so that its lease is released within the grace too.
 */
public final class Host {

    private static final Logger logger = LoggerFactory.getLogger(Host.class);

    private static final Duration CHILD_RESTART_BACKOFF_INITIAL = Duration.ofSeconds(1);

    private static final Duration CHILD_RESTART_BACKOFF_MAX = Duration.ofSeconds(30);

    private final MultiLangSettings settings;

    private final AwsClients clients;

    private final ChildLauncher launcher;

    private final MultiLangProcessorFactory factory;

    private final Worker worker;

    private final AtomicBoolean stopped = new AtomicBoolean();

    private final CountDownLatch stoppedLatch = new CountDownLatch(1);

    private Host(MultiLangSettings settings, MeterRegistry registry) {
        this.settings = settings;
        // The program is checked before anything touches AWS: a wrong executableName fails at once.
        this.launcher = new ChildLauncher(settings.executable());
        this.clients = AwsClients.of(settings);
        this.factory = new MultiLangProcessorFactory(launcher, registry, settings.applicationName(),
                settings.timeout());
        Worker.Builder builder = Worker.builder()
                .applicationName(settings.applicationName())
                .stream(settings.stream())
                .kinesisClient(clients.kinesis())
                .dynamoDbClient(clients.dynamoDb())
                .recordProcessorFactory(factory)
                .initialPosition(settings.initialPosition())
                .maxRecords(settings.maxRecords())
                .idleTimeBetweenReads(settings.idleTimeBetweenReads())
                .failoverTime(settings.failoverTime())
                .shardSyncInterval(settings.shardSyncInterval())
                .maxLeasesToStealAtOneTime(settings.maxLeasesToStealAtOneTime())
                // The wait before a failed child's shard gets a new child here: 1 s doubling to 30 s (jittered).
                .consumerFailureBackoff(CHILD_RESTART_BACKOFF_INITIAL, CHILD_RESTART_BACKOFF_MAX)
                .meterRegistry(registry);
        // Unset, the engine's defaults apply: the application name, and the host name with a random suffix.
        if (settings.leaseTableName() != null) {
            builder.leaseTableName(settings.leaseTableName());
        }
        if (settings.workerId() != null) {
            builder.workerId(settings.workerId());
        }
        if (settings.maxLeasesForWorker() != null) {
            builder.maxLeasesPerWorker(settings.maxLeasesForWorker());
        }
        KinesisAsyncClient fanOut = clients.fanOut();
        if (fanOut != null) {
            // Never deregistered on shutdown: the other hosts of the application (and a KCL daemon) share it.
            builder.retrieval(Retrieval.fanOut(fanOut).withConsumerName(settings.consumerName())
                    .withConsumerArn(settings.consumerArn()));
        }
        this.worker = builder.build();
    }

    /**
     * Builds and starts a host.
     * @throws dev.kclboot.multilang.child.ChildStartException when the record processor program cannot be found
     * @throws dev.kclboot.core.WorkerStartException when the stream does not exist or the lease table cannot be used
     */
    public static Host start(MultiLangSettings settings, MeterRegistry registry) {
        Host host = new Host(settings, registry);
        try {
            host.worker.start();
        }
        catch (RuntimeException ex) {
            host.launcher.close();
            host.clients.close();
            throw ex;
        }
        logger.info("MultiLang host {} started: {}", host.worker.workerId(), settings.summary());
        return host;
    }

    public Worker worker() {
        return worker;
    }

    public MultiLangSettings settings() {
        return settings;
    }

    public LiveChildren children() {
        return factory.children();
    }

    /**
     * Stops gracefully within the shutdown grace; returns once every child has ended and the leases are released.
     * Calling it again does nothing.
     * @return true when every processor finished within the grace
     */
    public boolean stop() {
        if (!stopped.compareAndSet(false, true)) {
            awaitStopped();
            return true;
        }
        Duration grace = settings.shutdownGrace();
        long start = System.nanoTime();
        logger.info("Stopping: asking {} record processors to shut down (grace {} ms)", children().count(),
                grace.toMillis());
        factory.stopStartingChildren();
        // Children that have not exited shortly before the grace ends are killed, so that the processor calls
        // waiting on them return and the worker still releases their leases inside the grace.
        Duration margin = grace.dividedBy(5).compareTo(Duration.ofSeconds(1)) < 0 ? grace.dividedBy(5)
                : Duration.ofSeconds(1);
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kcl-multilang-stop");
            thread.setDaemon(true);
            return thread;
        });
        killer.schedule(() -> {
            if (children().count() > 0) {
                logger.warn("{} record processors did not finish within the shutdown grace; killing them",
                        children().count());
                children().killAll();
            }
        }, grace.minus(margin).toMillis(), TimeUnit.MILLISECONDS);
        boolean clean;
        try {
            clean = worker.shutdown(grace);
        }
        finally {
            killer.shutdownNow();
            children().killAll();
            launcher.close();
            clients.close();
            stoppedLatch.countDown();
        }
        logger.info("Stopped in {} ms{}", (System.nanoTime() - start) / 1_000_000,
                clean ? "" : " (some record processors did not finish in time)");
        return clean;
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() {
        try {
            stoppedLatch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
