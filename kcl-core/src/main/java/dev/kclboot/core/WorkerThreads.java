package dev.kclboot.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kclboot.core.executor.ElasticExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The threads of one worker, none of them per shard: a control thread, a renewal scheduler with a small pool that
 * renews leases concurrently, a timer that wakes consumers and sends async reads (sending holds it for microseconds,
 * the answer comes back on the client's threads), and two bounded elastic pools, one running consumer
 * steps (processor calls) and one running GetRecords calls ({@link WorkerConfig#maxReadsInFlight}); the pools grow
 * only while all their threads are busy, so a worker holding 200 caught-up shards runs on a handful of threads. With
 * async clients the renewal and read pools only run what blocks (reading a row back, converting a batch), so they
 * stay at a thread or two. An {@link Executor} given to the builder (for example virtual threads) replaces the two
 * pools; the worker does not shut it down.
 */
final class WorkerThreads {

    /**
     * How long an idle pool thread lives. Short, so a pool shrinks to what its steady load needs (rate × latency)
     * soon after a burst (taking 200 leases, a catch-up); starting a thread again costs far less than keeping one.
     */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

    /** Renewals of a round run at most this many at once. */
    private static final int MAX_RENEWAL_THREADS = 16;

    final ScheduledExecutorService control;

    final ScheduledExecutorService renewer;

    final ExecutorService renewals;

    final ScheduledExecutorService timer;

    final Executor processing;

    final Executor fetching;

    private final @Nullable ExecutorService ownProcessing;

    private final @Nullable ExecutorService ownFetching;

    WorkerThreads(WorkerConfig config) {
        String prefix = "kcl-" + config.applicationName();
        control = scheduler(threads(config, prefix + "-control"));
        renewer = scheduler(threads(config, prefix + "-renewer"));
        timer = scheduler(threads(config, prefix + "-timer"));
        renewals = new ElasticExecutor(MAX_RENEWAL_THREADS, KEEP_ALIVE, threads(config, prefix + "-renewal"));
        Executor given = config.executor();
        if (given != null) {
            processing = given;
            fetching = given;
            ownProcessing = null;
            ownFetching = null;
        }
        else {
            ownProcessing = new ElasticExecutor(config.maxConsumerThreads(), KEEP_ALIVE, threads(config, prefix + "-shard"));
            ownFetching = new ElasticExecutor(config.maxReadsInFlight(), KEEP_ALIVE,
                    threads(config, prefix + "-fetch"));
            processing = ownProcessing;
            fetching = ownFetching;
        }
    }

    private static ScheduledExecutorService scheduler(ThreadFactory factory) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, factory);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** Stops the schedulers and the pools; a processor call in progress is interrupted. */
    void shutdownNow() {
        control.shutdownNow();
        renewer.shutdownNow();
        timer.shutdownNow();
        renewals.shutdownNow();
        if (ownFetching != null) {
            ownFetching.shutdownNow();
        }
        if (ownProcessing != null) {
            ownProcessing.shutdownNow();
        }
    }

    /** Waits for the processing pool's threads to end (after {@link #shutdownNow()}), at most the grace. */
    void awaitProcessing(Duration grace) {
        if (ownProcessing == null) {
            return;
        }
        try {
            ownProcessing.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(WorkerConfig config, String prefix) {
        ThreadFactory given = config.threadFactory();
        if (given != null) {
            return given;
        }
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
