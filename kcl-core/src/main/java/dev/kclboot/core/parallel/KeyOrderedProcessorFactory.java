package dev.kclboot.core.parallel;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.executor.ElasticExecutor;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.RecordProcessorFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes a {@link KeyOrderedRecordProcessor} per shard, all running their records on one executor: ordered parallelism
 * inside a shard for kcl-core users. Give it to {@code Worker.builder().recordProcessorFactory(...)}:
 * <pre>{@code
 * RecordProcessorFactory factory = KeyOrderedProcessorFactory.builder()
 *         .concurrency(10)
 *         .handler(record -> callTheService(record))
 *         .build();
 * }</pre>
 * The default executor is a bounded elastic pool of daemon threads (at most {@value #DEFAULT_MAX_THREADS}, shared by
 * the shards of this factory, shrinking when idle); give an executor (virtual threads on Java 21+) to replace it.
 */
public final class KeyOrderedProcessorFactory implements RecordProcessorFactory {

    /** The most threads of the default executor. */
    public static final int DEFAULT_MAX_THREADS = 256;

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final @Nullable RecordHandler handler;

    private final @Nullable BatchHandler batchHandler;

    private final int concurrency;

    private final int window;

    private final Executor executor;

    private final ScheduledThreadPoolExecutor timer;

    private final Duration checkpointInterval;

    private final Duration shutdownTimeout;

    private final ExponentialBackoff retryBackoff;

    private final BooleanSupplier drainCutoff;

    private final EngineMetrics metrics;

    private KeyOrderedProcessorFactory(Builder builder) {
        this.handler = builder.handler;
        this.batchHandler = builder.batchHandler;
        this.concurrency = builder.concurrency;
        this.window = builder.window != null ? builder.window : defaultWindow(builder.concurrency);
        this.executor = builder.executor != null ? builder.executor
                : new ElasticExecutor(DEFAULT_MAX_THREADS, KEEP_ALIVE, daemonThreads("kcl-parallel"));
        // One timer thread for every shard: it only hands checkpoint writes over to the executor, and ends when idle.
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("kcl-parallel-checkpoints"));
        this.timer.setKeepAliveTime(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        this.timer.allowCoreThreadTimeOut(true);
        this.timer.setRemoveOnCancelPolicy(true);
        this.checkpointInterval = builder.checkpointInterval;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.retryBackoff = new ExponentialBackoff(builder.retryInitialBackoff, builder.retryMaxBackoff);
        this.drainCutoff = builder.drainCutoff;
        this.metrics = new EngineMetrics(builder.meterRegistry, builder.applicationName);
    }

    /** The window when none is set: max(100, 10 × concurrency) records in flight per shard. */
    public static int defaultWindow(int concurrency) {
        return Math.max(100, 10 * concurrency);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A processor on the builder's handler (or batch handler).
     * @throws IllegalStateException when the builder was given neither
     */
    @Override
    public RecordProcessor create(String streamName) {
        if (handler != null) {
            return create(streamName, handler);
        }
        if (batchHandler != null) {
            return createForBatches(streamName, batchHandler);
        }
        throw new IllegalStateException("No handler was given to the builder; use create(streamName, handler)");
    }

    /**
     * A processor on its own record handler, with this factory's settings, executor and meters: for a processor that
     * makes a handler per shard (with the shard's state) and hands its records to it.
     */
    public KeyOrderedRecordProcessor create(String streamName, RecordHandler shardHandler) {
        return new KeyOrderedRecordProcessor(streamName, records -> shardHandler.handle(records.get(0)), false,
                concurrency, window, executor, timer, checkpointInterval, shutdownTimeout, drainCutoff, retryBackoff,
                metrics);
    }

    /** A processor on its own batch handler (key groups of each batch), with this factory's settings. */
    public KeyOrderedRecordProcessor createForBatches(String streamName, BatchHandler shardHandler) {
        return new KeyOrderedRecordProcessor(streamName, shardHandler, true, concurrency, window, executor, timer,
                checkpointInterval, shutdownTimeout, drainCutoff, retryBackoff, metrics);
    }

    /** The records in flight per shard at most. */
    public int window() {
        return window;
    }

    /** The records of different keys running at once per shard at most. */
    public int concurrency() {
        return concurrency;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Settings of a {@link KeyOrderedProcessorFactory}; the handler is required for {@link #create(String)}, the rest
     * have defaults.
     */
    public static final class Builder {

        private @Nullable RecordHandler handler;

        private @Nullable BatchHandler batchHandler;

        private int concurrency = 1;

        private @Nullable Integer window;

        private @Nullable Executor executor;

        private Duration checkpointInterval = Duration.ofSeconds(1);

        private Duration shutdownTimeout = Duration.ofSeconds(10);

        private BooleanSupplier drainCutoff = () -> false;

        private Duration retryInitialBackoff = Duration.ofMillis(100);

        private Duration retryMaxBackoff = Duration.ofSeconds(10);

        private @Nullable MeterRegistry meterRegistry;

        private String applicationName = "";

        private Builder() {
        }

        /**
         * Processes each record (this or a batch handler is required unless every processor is made with
         * {@code create(streamName, handler)}).
         */
        public Builder handler(RecordHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            this.batchHandler = null;
            return this;
        }

        /** Processes the records of each batch by key group, several at a time, instead of a record handler. */
        public Builder batchHandler(BatchHandler batchHandler) {
            this.batchHandler = Objects.requireNonNull(batchHandler, "batchHandler");
            this.handler = null;
            return this;
        }

        /**
         * The most records of different keys handled at once per shard (default 1: one record at a time); with a batch
         * handler, the number of key groups a batch is split into, handled at once.
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * The most records in flight (dispatched, not done) per shard; when full, the shard stops reading until a
         * record finishes (default max(100, 10 × concurrency)).
         */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1, was " + window);
            }
            this.window = window;
            return this;
        }

        /** Runs the handler calls (and checkpoint writes) instead of the default bounded pool; not shut down here. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The shortest time between two checkpoints at the watermark of a shard (default 1 s; zero: at every move). */
        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = requireNotNegative(checkpointInterval, "checkpointInterval");
            return this;
        }

        /**
         * How long a graceful stop ({@code shutdown(REQUESTED)}) waits for the records in flight before it
         * checkpoints the watermark and leaves the rest to the next owner (default 10 s); keep it below the worker's
         * shutdown timeout so the lease is released, not left to expire.
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = requireNotNegative(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Ends the wait of a graceful stop for the records in flight before the shutdown timeout, once it is true: for
         * an application whose stop has one deadline for every shard (shards whose shutdown begins late would
         * otherwise wait their full timeout each). Default: never.
         */
        public Builder drainCutoff(BooleanSupplier drainCutoff) {
            this.drainCutoff = Objects.requireNonNull(drainCutoff, "drainCutoff");
            return this;
        }

        /** The waits between attempts at a record whose handler threw (default 100 ms doubling to 10 s). */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialBackoff = requireNotNegative(initial, "initial");
            this.retryMaxBackoff = requireNotNegative(max, "max");
            return this;
        }

        /**
         * Registers the per-shard gauges ({@code kcl.parallel.*}: records in flight, keys waiting, watermark lag) in
         * this registry, tagged with the application, the stream and the shard as the engine's meters are.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry, String applicationName) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            return this;
        }

        public KeyOrderedProcessorFactory build() {
            return new KeyOrderedProcessorFactory(this);
        }

        private static Duration requireNotNegative(Duration value, String name) {
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
