package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.kclboot.core.checkpoint.CheckpointException;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.recovery.ListenerExecutionFailedException;
import io.micrometer.core.instrument.Meter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's record processor for one shard of a listener container: delivers records through a
 * {@link RetryingDelivery} and checkpoints by the container's {@link CheckpointMode}.
 * <p>
 * {@code processRecords} returns normally only when every record it was given is done (succeeded, recovered,
 * filtered or expired). Each record is marked done on its own in the shard's {@link ShardProgress} (a low
 * watermark), and every checkpoint goes to the watermark: never past a record that is not done.
 * Otherwise (the container is stopping, or stopped because of a record) it first checkpoints what is done, then
 * throws {@link RecordsNotProcessedException}, so the engine delivers the batch again later instead of moving on; the
 * records already done are not delivered to the listener twice.
 * <p>
 * The listener is called on a thread of the container, not on the engine's: {@code processRecords} waits for it, but
 * when a stop's drain time has passed it stops waiting, checkpoints what is done and hands the batch back, so that
 * the engine releases the lease within the shutdown timeout even while a listener call is still running (that call
 * is abandoned: its record is not checkpointed and is delivered again, to whichever instance takes the shard).
 */
public final class ListenerRecordProcessor implements RecordProcessor {

    private static final Logger logger = LoggerFactory.getLogger(ListenerRecordProcessor.class);

    private final DeliveryContainer container;

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final RetryingDelivery delivery;

    private final FilterStep filter;

    private final ShardProgress progress = new ShardProgress();

    private String shardId = "?";

    private volatile long lastCheckpointNanos;

    private @Nullable ShardDeliveryState state;

    private @Nullable Meter iteratorAge;

    /** Set when a batch was handed back while its listener call was still running: that delivery must not go on. */
    private volatile boolean abandoned;

    public ListenerRecordProcessor(DeliveryContainer container, String streamName) {
        this.container = container;
        this.settings = container.getSettings();
        this.streamName = streamName;
        this.delivery = new RetryingDelivery(container, streamName, Clock.systemUTC());
        this.filter = new FilterStep(settings, streamName, container.getMetrics());
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        this.lastCheckpointNanos = System.nanoTime();
        ShardDeliveryState state = new ShardDeliveryState(streamName, shardId, Clock.systemUTC());
        this.state = state;
        container.shardStarted(state);
        this.iteratorAge = container.getMetrics().shardStarted(settings, streamName, shardId, state::iteratorAgeMillis);
        logger.debug("Listener '{}' starts shard {} of stream {}", settings.id(), shardId, streamName);
    }

    @Override
    public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
        List<KinesisRecord> pending = progress.delivered(records);
        if (pending.isEmpty()) {
            return;
        }
        if (!container.isActive()) {
            throw new RecordsNotProcessedException(settings.id(), shardId, streamName);
        }
        boolean done = deliver(pending, checkpointer);
        switch (settings.checkpointMode()) {
            case BATCH -> checkpointDone(checkpointer);
            case PERIODIC -> checkpointIfDue(checkpointer);
            default -> {
                // RECORD checkpointed as it went; MANUAL is the listener's job.
            }
        }
        if (!done) {
            if (settings.checkpointMode() == CheckpointMode.PERIODIC) {
                checkpointDone(checkpointer);
            }
            throw new RecordsNotProcessedException(settings.id(), shardId, streamName);
        }
    }

    /**
     * Runs the delivery on a container thread and waits for it; false when it did not finish every record, or when
     * a stop's drain time passed first (then the delivery is abandoned).
     */
    private boolean deliver(List<KinesisRecord> pending, Checkpointer checkpointer) {
        ShardDeliveryState current = shardState();
        Future<Boolean> delivery = container.submitDelivery(() -> settings.batch()
                ? deliverBatch(pending, checkpointer, current) : deliverEach(pending, checkpointer, current));
        while (true) {
            try {
                // Polled, because a stop (and with it the drain deadline) may begin while the listener runs.
                return delivery.get(250, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException ex) {
                if (container.isDrainExpired()) {
                    abandoned = true;
                    logger.warn("Listener '{}' is still busy with shard {} of stream {} after the drain time of the "
                            + "stop; what is done is checkpointed and the lease released, the record in the listener "
                            + "is delivered again later", settings.id(), shardId, streamName);
                    return false;
                }
            }
            catch (InterruptedException ex) {
                // The engine gave up waiting for this shard (its shutdown timeout passed).
                abandoned = true;
                Thread.currentThread().interrupt();
                return false;
            }
            catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new ListenerExecutionFailedException("Delivery failed: " + cause, cause);
            }
        }
    }

    private boolean deliverEach(List<KinesisRecord> records, Checkpointer checkpointer, ShardDeliveryState state) {
        KinesisRecordListener listener = (KinesisRecordListener) container.getListener();
        DoneRecords done = (doneRecords) -> markDone(doneRecords, checkpointer, state);
        for (KinesisRecord record : filter.accepted(records, done)) {
            if (abandoned || !delivery.deliverRecord(listener, record, checkpointer, state, done)) {
                return false;
            }
        }
        return true;
    }

    private boolean deliverBatch(List<KinesisRecord> records, Checkpointer checkpointer, ShardDeliveryState state) {
        KinesisBatchListener listener = (KinesisBatchListener) container.getListener();
        DoneRecords done = (doneRecords) -> markDone(doneRecords, checkpointer, state);
        List<KinesisRecord> accepted = filter.accepted(records, done);
        return accepted.isEmpty() || delivery.deliverBatch(listener, accepted, checkpointer, state, done);
    }

    /**
     * Records are done (succeeded, recovered, filtered or expired): each is marked in the progress, and RECORD mode
     * checkpoints once per group when the watermark moved, PERIODIC when its interval passed.
     */
    private void markDone(List<KinesisRecord> records, Checkpointer checkpointer, ShardDeliveryState state) {
        boolean moved = false;
        for (KinesisRecord record : records) {
            moved |= progress.done(record);
        }
        state.done(records.get(records.size() - 1));
        if (settings.checkpointMode() == CheckpointMode.RECORD && moved) {
            checkpointDone(checkpointer);
        }
        else if (settings.checkpointMode() == CheckpointMode.PERIODIC) {
            checkpointIfDue(checkpointer);
        }
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        logger.debug("Listener '{}' stops shard {} of stream {}: {}", settings.id(), shardId, streamName, reason);
        ShardDeliveryState current = state;
        if (current != null) {
            container.shardStopped(current);
        }
        container.getMetrics().shardStopped(iteratorAge);
        switch (reason) {
            case TERMINATE -> {
                if (progress.allDone()) {
                    checkpoint(checkpointer, null);
                }
                else {
                    logger.warn("Shard {} of stream {} ended but listener '{}' has not finished its records; "
                            + "SHARD_END is not checkpointed, so they are delivered again", shardId, streamName,
                            settings.id());
                }
            }
            case REQUESTED -> {
                if (settings.checkpointMode() != CheckpointMode.MANUAL) {
                    checkpointDone(checkpointer);
                }
            }
            case ZOMBIE -> {
                // The lease is gone: checkpointing is refused.
            }
        }
    }

    private ShardDeliveryState shardState() {
        ShardDeliveryState current = state;
        if (current == null) {
            throw new IllegalStateException("processRecords before initialize for listener '" + settings.id() + "'");
        }
        return current;
    }

    private void checkpointIfDue(Checkpointer checkpointer) {
        if (System.nanoTime() - lastCheckpointNanos >= settings.checkpointInterval().toNanos()) {
            checkpointDone(checkpointer);
        }
    }

    /** Checkpoints at the low watermark, when it moved past the last checkpoint. */
    private void checkpointDone(Checkpointer checkpointer) {
        ExtendedSequenceNumber watermark = progress.watermark();
        if (watermark != null && progress.hasUncheckpointed()) {
            checkpoint(checkpointer, watermark);
        }
    }

    /** Checkpoints up to the position, or SHARD_END when it is null; failures are logged, the next one covers them. */
    private void checkpoint(Checkpointer checkpointer, @Nullable ExtendedSequenceNumber upTo) {
        try {
            if (upTo == null) {
                checkpointer.checkpoint();
            }
            else {
                checkpointer.checkpoint(upTo.sequenceNumber(), upTo.subSequenceNumber());
                progress.checkpointed(upTo);
            }
            lastCheckpointNanos = System.nanoTime();
        }
        catch (ShutdownException ex) {
            logger.info("Listener '{}' no longer holds shard {} of stream {}: {}", settings.id(), shardId, streamName,
                    ex.getMessage());
        }
        catch (CheckpointException | IllegalArgumentException | IllegalStateException ex) {
            logger.warn("Listener '{}' could not checkpoint shard {} of stream {} at {}; the next checkpoint covers it",
                    settings.id(), shardId, streamName, (upTo == null) ? "SHARD_END" : upTo, ex);
        }
    }
}
