package dev.kclboot.core.parallel;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kclboot.core.checkpoint.CheckpointException;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the low watermark of one shard tenure as its checkpoint: when the watermark moves, at most once per interval
 * (a move within the interval is written when the interval has passed, so the last move of a quiet shard is written
 * too), and on demand at shutdown. Writes never overlap and never go backwards. The timer only hands the write over to
 * the executor, so one timer serves many shards. Thread-safe.
 */
final class WatermarkCheckpoints {

    private static final Logger logger = LoggerFactory.getLogger(WatermarkCheckpoints.class);

    private final LowWatermark watermark;

    private final Checkpointer checkpointer;

    private final long intervalNanos;

    private final ScheduledExecutorService timer;

    private final Executor executor;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final Object writeLock = new Object();

    private volatile long lastWriteNanos = System.nanoTime();

    private volatile boolean closed;

    WatermarkCheckpoints(LowWatermark watermark, Checkpointer checkpointer, Duration interval,
            ScheduledExecutorService timer, Executor executor) {
        this.watermark = watermark;
        this.checkpointer = checkpointer;
        this.intervalNanos = interval.toNanos();
        this.timer = timer;
        this.executor = executor;
    }

    /** The watermark moved: a write is scheduled unless one is already. */
    void moved() {
        if (closed || !scheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = Math.max(0, lastWriteNanos + intervalNanos - System.nanoTime());
        try {
            timer.schedule(this::handOver, delay, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            scheduled.set(false);
        }
    }

    private void handOver() {
        try {
            executor.execute(this::scheduledWrite);
        }
        catch (RejectedExecutionException ex) {
            scheduled.set(false);
        }
    }

    private void scheduledWrite() {
        // Cleared before the write: a move during the write schedules the next one.
        scheduled.set(false);
        try {
            write();
        }
        catch (ShutdownException ex) {
            logger.debug("Checkpoint of shard {} at the watermark refused: the lease is no longer held",
                    checkpointer.shardId());
            closed = true;
        }
        catch (CheckpointException ex) {
            logger.warn("Could not checkpoint shard {} at the watermark ({}); trying again in the next interval",
                    checkpointer.shardId(), ex.getMessage());
            moved();
        }
    }

    /**
     * Writes the watermark now if it is past the stored checkpoint.
     * @throws CheckpointException as the checkpointer throws it (a lost lease, throttling, a DynamoDB failure)
     */
    void write() {
        synchronized (writeLock) {
            ExtendedSequenceNumber position = watermark.watermark();
            if (closed || position == null || position.compareTo(checkpointer.lastCheckpoint()) <= 0) {
                return;
            }
            lastWriteNanos = System.nanoTime();
            checkpointer.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
        }
    }

    /** No write from now on (the tenure ends; a final write, if any, is done before). */
    void close() {
        synchronized (writeLock) {
            closed = true;
        }
    }
}
