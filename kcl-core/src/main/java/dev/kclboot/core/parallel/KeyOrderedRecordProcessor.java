package dev.kclboot.core.parallel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.kclboot.core.backoff.ExponentialBackoff;
import dev.kclboot.core.checkpoint.CheckpointException;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShardFailedException;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record processor that runs the records of its shard by partition key on a {@link RecordHandler}: the records of a
 * key one at a time in shard order, different keys at once (up to the concurrency), and the checkpoint at the low
 * watermark, never past a record that is not done. With a {@link BatchHandler} the unit is the key group of a batch
 * instead of the record. Made per shard by a {@link KeyOrderedProcessorFactory}.
 * <ul>
 * <li>{@code processRecords} tracks the batch in the watermark and dispatches each record under its partition key; it
 * blocks while the window (records in flight) is full, so a blocked key stops the reads of its shard instead of
 * growing memory, and returns without waiting for the records to finish, so the next batch is read meanwhile.</li>
 * <li>The watermark is checkpointed when it moves, at most once per checkpoint interval.</li>
 * <li>{@code shutdown(TERMINATE)} waits until every record of the shard is done, then checkpoints SHARD_END (the
 * children start only then); it gives up, without SHARD_END, when the lease is lost, the shard failed, a stop is
 * requested or the worker interrupts it.</li>
 * <li>{@code shutdown(REQUESTED)} lets the records in flight finish, at most the shutdown timeout, drops the rest and
 * checkpoints the watermark.</li>
 * <li>{@code shutdown(ZOMBIE)} stops dispatching at once; what runs finishes but is not checkpointed. A record not yet
 * started when the lease is lost is not handed to the handler at all.</li>
 * </ul>
 * What was not done comes again from the checkpoint with the shard's next owner.
 */
public final class KeyOrderedRecordProcessor implements RecordProcessor {

    private static final Logger logger = LoggerFactory.getLogger(KeyOrderedRecordProcessor.class);

    /** How often a wait looks at the lease, a stop request and a failure. */
    private static final Duration WAIT_SLICE = Duration.ofMillis(100);

    private final String streamName;

    /** Handles one unit: a single record, or the records of one key group of a batch. */
    private final BatchHandler handler;

    /** Whether a batch is split into key groups (a {@link BatchHandler}) rather than into single records. */
    private final boolean grouped;

    private final int concurrency;

    private final Executor executor;

    private final ScheduledExecutorService timer;

    private final Duration checkpointInterval;

    private final Duration shutdownTimeout;

    private final ExponentialBackoff retryBackoff;

    /** Ends a graceful stop's wait for the records in flight early (see the factory's builder). */
    private final BooleanSupplier drainCutoff;

    private final EngineMetrics metrics;

    private final LowWatermark watermark = new LowWatermark();

    private final KeyOrderedDispatcher dispatcher;

    /** Keys (or key groups) whose handler gave up ({@link RecordNotDoneException}): their later records wait too. */
    private final Set<String> stoppedKeys = ConcurrentHashMap.newKeySet();

    /** The first failure that ends the tenure (a {@link ShardFailedException} or an error from the handler). */
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

    private String shardId = "?";

    private EngineMetrics.Registration meters = () -> {
    };

    private @Nullable WatermarkCheckpoints checkpoints;

    /** Some records were tracked but never dispatched (a stop or a lost lease came first): the shard is not done. */
    private volatile boolean undispatched;

    /** Records dispatched together under one key: a single record, or a key group of a batch. */
    private record Unit(String key, List<KinesisRecord> records) {
    }

    KeyOrderedRecordProcessor(String streamName, BatchHandler handler, boolean grouped, int concurrency, int window,
            Executor executor, ScheduledExecutorService timer, Duration checkpointInterval, Duration shutdownTimeout,
            BooleanSupplier drainCutoff, ExponentialBackoff retryBackoff, EngineMetrics metrics) {
        this.streamName = streamName;
        this.handler = handler;
        this.grouped = grouped;
        this.concurrency = concurrency;
        this.executor = executor;
        this.timer = timer;
        this.checkpointInterval = checkpointInterval;
        this.shutdownTimeout = shutdownTimeout;
        this.retryBackoff = retryBackoff;
        this.drainCutoff = drainCutoff;
        this.metrics = metrics;
        this.dispatcher = new KeyOrderedDispatcher(executor, concurrency, window);
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        meters = metrics.parallelShard(streamName, shardId, dispatcher::held, dispatcher::keysWaiting,
                watermark::pending, watermark::lagMillis);
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        failIfFailed(checkpointer);
        WatermarkCheckpoints writes = checkpointsOf(checkpointer);
        watermark.track(records);
        List<KeyOrderedDispatcher.KeyedTask> tasks = units(records).stream()
                .map(unit -> new KeyOrderedDispatcher.KeyedTask(unit.key(), () -> run(unit, checkpointer, writes),
                        unit.records().size()))
                .toList();
        // Single records are admitted one by one; the key groups of a batch together, so that they run at once even
        // when the batch is larger than the window.
        List<List<KeyOrderedDispatcher.KeyedTask>> admissions = grouped ? List.of(tasks)
                : tasks.stream().map(List::of).toList();
        for (List<KeyOrderedDispatcher.KeyedTask> admission : admissions) {
            while (!dispatcher.offerAll(admission, WAIT_SLICE)) {
                if (dispatcher.isClosed() || Thread.currentThread().isInterrupted() || !checkpointer.isLeaseHeld()
                        || checkpointer.isStopRequested()) {
                    // The rest of the batch stays undone: the watermark cannot pass it, the next owner reads it again.
                    undispatched = true;
                    return;
                }
                failIfFailed(checkpointer);
            }
        }
    }

    /** One unit per record, or per key group (in the order of each group's first record, records in shard order). */
    private List<Unit> units(List<KinesisRecord> records) {
        if (!grouped) {
            return records.stream().map(record -> new Unit(record.partitionKey(), List.of(record))).toList();
        }
        Map<Integer, List<KinesisRecord>> groups = new LinkedHashMap<>();
        for (KinesisRecord record : records) {
            groups.computeIfAbsent(Math.floorMod(record.partitionKey().hashCode(), concurrency),
                    ignored -> new ArrayList<>()).add(record);
        }
        return groups.entrySet().stream()
                .map(group -> new Unit("group-" + group.getKey(), List.copyOf(group.getValue()))).toList();
    }

    private WatermarkCheckpoints checkpointsOf(Checkpointer checkpointer) {
        WatermarkCheckpoints current = checkpoints;
        if (current == null) {
            current = new WatermarkCheckpoints(watermark, checkpointer, checkpointInterval, timer, executor);
            checkpoints = current;
        }
        return current;
    }

    /** Runs the handler on one unit until it is done, the tenure ends, or the shard fails. */
    private void run(Unit unit, Checkpointer checkpointer, WatermarkCheckpoints writes) {
        KinesisRecord first = unit.records().get(0);
        int attempt = 0;
        while (mayRun(checkpointer) && !stoppedKeys.contains(unit.key())) {
            try {
                handler.handle(unit.records());
                boolean moved = false;
                for (KinesisRecord record : unit.records()) {
                    moved |= watermark.done(record);
                }
                if (moved) {
                    writes.moved();
                }
                return;
            }
            catch (ShardFailedException ex) {
                logger.error("The handler failed shard {} on {} (key {}); the shard restarts from its checkpoint",
                        shardId, describe(unit), first.partitionKey(), ex);
                failure.compareAndSet(null, ex);
                return;
            }
            catch (RecordNotDoneException ex) {
                logger.debug("The handler gave up on {} of shard {} (key {}): {}", describe(unit), shardId,
                        first.partitionKey(), ex.getMessage());
                stoppedKeys.add(unit.key());
                return;
            }
            catch (InterruptedException ex) {
                return; // The worker gave up on the shard; the records are not done.
            }
            catch (Exception ex) {
                Duration delay = retryBackoff.delay(attempt++);
                logger.warn("The handler failed on {} of shard {} (key {}, attempt {}); its key waits, trying again in "
                        + "{} ms", describe(unit), shardId, first.partitionKey(), attempt, delay.toMillis(), ex);
                if (!pause(delay, checkpointer)) {
                    return;
                }
            }
            catch (Error ex) {
                failure.compareAndSet(null, new ShardFailedException("The handler of shard " + shardId
                        + " threw " + ex + " on " + describe(unit), ex));
                if (ex instanceof VirtualMachineError) {
                    throw ex;
                }
                return;
            }
        }
    }

    private static String describe(Unit unit) {
        KinesisRecord first = unit.records().get(0);
        return unit.records().size() == 1 ? "record " + first.sequenceNumber()
                : unit.records().size() + " records from " + first.sequenceNumber();
    }

    /** Whether a record may (still) be handed to the handler: the tenure goes on. */
    private boolean mayRun(Checkpointer checkpointer) {
        return failure.get() == null && !dispatcher.isClosed() && checkpointer.isLeaseHeld();
    }

    /** Waits before a retry; false when the tenure ended meanwhile. */
    private boolean pause(Duration delay, Checkpointer checkpointer) {
        long deadline = System.nanoTime() + delay.toNanos();
        while (mayRun(checkpointer)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(left, WAIT_SLICE.toNanos()) / 1_000_000));
            }
            catch (InterruptedException ex) {
                return false;
            }
        }
        return false;
    }

    /** A failure ends the tenure: what is done is checkpointed first, then the engine fails the shard. */
    private void failIfFailed(Checkpointer checkpointer) {
        Throwable cause = failure.get();
        if (cause == null) {
            return;
        }
        writeQuietly(checkpointer);
        if (cause instanceof ShardFailedException shardFailed) {
            throw shardFailed;
        }
        throw new ShardFailedException("The handler of shard " + shardId + " failed", cause);
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        try {
            switch (reason) {
                case ZOMBIE -> stopDispatching();
                case REQUESTED -> {
                    drain(checkpointer);
                    writeQuietly(checkpointer);
                }
                case TERMINATE -> terminate(checkpointer);
            }
        }
        finally {
            stopDispatching();
            WatermarkCheckpoints writes = checkpoints;
            if (writes != null) {
                writes.close();
            }
            meters.close();
        }
    }

    /** SHARD_END only when every record of the shard is done. */
    private void terminate(Checkpointer checkpointer) {
        boolean allDone = !undispatched && await(watermark::allDone, checkpointer, true, null);
        if (allDone) {
            stopDispatching();
            WatermarkCheckpoints writes = checkpoints;
            if (writes != null) {
                writes.close(); // No watermark write may follow SHARD_END.
            }
            checkpointer.checkpoint();
            return;
        }
        if (checkpointer.isStopRequested()) {
            drain(checkpointer);
        }
        logger.warn("Shard {} ended but not every record of it is done ({} pending); not checkpointing SHARD_END: "
                + "the shard is read again from the watermark", shardId, watermark.pending());
        writeQuietly(checkpointer);
    }

    /** Lets the records in flight finish, at most the shutdown timeout, then drops the rest. */
    private void drain(Checkpointer checkpointer) {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        if (!await(() -> dispatcher.held() == 0 || drainCutoff.getAsBoolean(), checkpointer, false, deadline)
                || dispatcher.held() > 0) {
            logger.warn("Shard {} stops with {} records in flight not done; they come again from the checkpoint",
                    shardId, dispatcher.held());
        }
        stopDispatching();
    }

    /**
     * Waits until the condition holds; false when the lease is lost, the shard failed, the thread is interrupted, the
     * deadline passed or (when asked) a stop is requested first.
     */
    private boolean await(BooleanSupplier condition, Checkpointer checkpointer, boolean endAtStopRequest,
            @Nullable Long deadlineNanos) {
        while (!condition.getAsBoolean()) {
            if (!checkpointer.isLeaseHeld() || failure.get() != null || Thread.currentThread().isInterrupted()
                    || (endAtStopRequest && checkpointer.isStopRequested())
                    || (deadlineNanos != null && System.nanoTime() - deadlineNanos >= 0)) {
                return false;
            }
            if (dispatcher.awaitIdle(WAIT_SLICE) && !condition.getAsBoolean()) {
                // Idle, yet not done: a record was given up; the checks above end the wait.
                try {
                    Thread.sleep(WAIT_SLICE.toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void stopDispatching() {
        int dropped = dispatcher.close();
        if (dropped > 0) {
            logger.info("Shard {}: {} records not started are dropped; they come again from the checkpoint", shardId,
                    dropped);
        }
    }

    /** Checkpoints the watermark when the lease allows; a refusal only means the next owner redoes more. */
    private void writeQuietly(Checkpointer checkpointer) {
        WatermarkCheckpoints writes = checkpoints;
        if (writes == null || !checkpointer.isLeaseHeld()) {
            return;
        }
        try {
            writes.write();
        }
        catch (CheckpointException ex) {
            logger.warn("Could not checkpoint shard {} at the watermark: {}", shardId, ex.getMessage());
        }
    }
}
