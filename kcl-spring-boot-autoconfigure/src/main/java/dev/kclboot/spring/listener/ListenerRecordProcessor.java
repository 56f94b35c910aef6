package dev.kclboot.spring.listener;

import java.util.List;

import dev.kclboot.core.checkpoint.CheckpointException;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's record processor for one shard of a listener container: delivers records through a
 * {@link RetryingDelivery} and checkpoints by the container's {@link CheckpointMode}.
 * <p>
 * {@code processRecords} returns normally only when every record it was given is done (succeeded or recovered).
 * Otherwise (the container is stopping, or stopped because of a record) it first checkpoints what is done, then
 * throws {@link RecordsNotProcessedException}, so the engine delivers the batch again later instead of moving on; the
 * records already done are not delivered to the listener twice.
 */
final class ListenerRecordProcessor implements RecordProcessor {

    private static final Logger logger = LoggerFactory.getLogger(ListenerRecordProcessor.class);

    private final KinesisListenerContainer container;

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final RetryingDelivery delivery;

    private final ShardProgress progress = new ShardProgress();

    private String shardId = "?";

    private long lastCheckpointNanos;

    ListenerRecordProcessor(KinesisListenerContainer container, String streamName) {
        this.container = container;
        this.settings = container.getSettings();
        this.streamName = streamName;
        this.delivery = new RetryingDelivery(container, streamName);
    }

    @Override
    public void initialize(String shardId) {
        this.shardId = shardId;
        this.lastCheckpointNanos = System.nanoTime();
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
        boolean done = settings.batch() ? deliverBatch(pending, checkpointer) : deliverEach(pending, checkpointer);
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

    private boolean deliverEach(List<KinesisRecord> records, Checkpointer checkpointer) {
        KinesisRecordListener listener = (KinesisRecordListener) container.getListener();
        for (KinesisRecord record : records) {
            if (!delivery.deliverRecord(listener, record, checkpointer)) {
                return false;
            }
            progress.done(record);
            if (settings.checkpointMode() == CheckpointMode.RECORD) {
                checkpointDone(checkpointer);
            }
            else if (settings.checkpointMode() == CheckpointMode.PERIODIC) {
                checkpointIfDue(checkpointer);
            }
        }
        return true;
    }

    private boolean deliverBatch(List<KinesisRecord> records, Checkpointer checkpointer) {
        KinesisBatchListener listener = (KinesisBatchListener) container.getListener();
        if (!delivery.deliverBatch(listener, records, checkpointer)) {
            return false;
        }
        progress.done(records.get(records.size() - 1));
        if (settings.checkpointMode() == CheckpointMode.RECORD) {
            checkpointDone(checkpointer);
        }
        return true;
    }

    @Override
    public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
        logger.debug("Listener '{}' stops shard {} of stream {}: {}", settings.id(), shardId, streamName, reason);
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

    private void checkpointIfDue(Checkpointer checkpointer) {
        if (System.nanoTime() - lastCheckpointNanos >= settings.checkpointInterval().toNanos()) {
            checkpointDone(checkpointer);
        }
    }

    private void checkpointDone(Checkpointer checkpointer) {
        KinesisRecord lastDone = progress.lastDone();
        if (lastDone != null && progress.hasUncheckpointed()) {
            checkpoint(checkpointer, lastDone);
        }
    }

    /** Checkpoints up to the record, or SHARD_END when it is null; failures are logged, the next one covers them. */
    private void checkpoint(Checkpointer checkpointer, @Nullable KinesisRecord upTo) {
        try {
            if (upTo == null) {
                checkpointer.checkpoint();
            }
            else {
                checkpointer.checkpoint(upTo);
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
                    settings.id(), shardId, streamName, (upTo == null) ? "SHARD_END" : upTo.sequenceNumber(), ex);
        }
    }
}
