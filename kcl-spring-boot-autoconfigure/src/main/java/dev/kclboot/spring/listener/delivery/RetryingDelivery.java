package dev.kclboot.spring.listener.delivery;

import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.spring.listener.recovery.ListenerExecutionFailedException;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Delivers a record (or a batch) to the listener until it succeeds or is recovered: retries failures with the
 * container's {@link org.springframework.util.backoff.BackOff}, sends payloads that cannot be converted straight to
 * the recoverer, and after the last attempt recovers or stops the listener. Returns false when the records are not
 * done (the container is stopping, or stops because of them); the caller must then not checkpoint past them.
 * <p>
 * Every call and failure is noted in the shard's {@link ShardDeliveryState}, so that health checks see a record that
 * keeps failing (the default retries without limit) and the iterator-age gauge keeps growing meanwhile.
 */
final class RetryingDelivery {

    private static final Logger logger = LoggerFactory.getLogger(RetryingDelivery.class);

    private final DeliveryContainer container;

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final KinesisListenerMetrics metrics;

    RetryingDelivery(DeliveryContainer container, String streamName) {
        this.container = container;
        this.settings = container.getSettings();
        this.streamName = streamName;
        this.metrics = container.getMetrics();
    }

    /** Delivers one record to a {@link KinesisRecordListener}; true once it succeeded or was recovered. */
    boolean deliverRecord(KinesisRecordListener listener, KinesisRecord record, Checkpointer checkpointer,
            ShardDeliveryState state) {
        state.started(record);
        KinesisRecordMetadata metadata = KinesisRecordMetadata.of(streamName, record);
        Checkpointer scoped = new ScopedCheckpointer(checkpointer, record);
        int attempt = 0;
        BackOffExecution backOff = null;
        // A lost lease ends the retries: the new owner delivers these records again from the stored checkpoint.
        while (container.isActive() && checkpointer.isLeaseHeld()) {
            attempt++;
            if (attempt > 1) {
                metrics.retried(settings, streamName, record);
            }
            state.callStarted();
            try {
                listener.onRecord(record, metadata, scoped);
                state.callSucceeded();
                return true;
            }
            catch (PayloadConversionException ex) {
                state.callFailed(ex);
                metrics.listenerFailed(settings, streamName, record);
                logger.warn("Listener '{}' cannot convert the payload of record {} of shard {} in stream {}: {}",
                        settings.id(), record.sequenceNumber(), record.shardId(), streamName, ex.getMessage());
                return recover(List.of(record), ex, state);
            }
            catch (Throwable ex) {
                Exception failure = asException(rethrowFatal(ex));
                state.callFailed(failure);
                metrics.listenerFailed(settings, streamName, record);
                backOff = (backOff != null) ? backOff : settings.backOff().start();
                long wait = backOff.nextBackOff();
                if (attempt >= settings.maxAttempts() || wait == BackOffExecution.STOP) {
                    logger.error("Listener '{}' failed on record {} of shard {} in stream {} after {} attempt(s)",
                            settings.id(), record.sequenceNumber(), record.shardId(), streamName, attempt, failure);
                    return exhausted(List.of(record), failure, state);
                }
                if (container.isStopping()) {
                    logger.warn("Listener '{}' failed on record {} of shard {} in stream {} while stopping; it is not "
                            + "retried here and is delivered again later", settings.id(), record.sequenceNumber(),
                            record.shardId(), streamName, failure);
                    return false;
                }
                logger.warn("Listener '{}' failed on record {} of shard {} in stream {} (attempt {}); retrying in {} ms",
                        settings.id(), record.sequenceNumber(), record.shardId(), streamName, attempt, wait, failure);
                if (!container.awaitBackOff(wait)) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Delivers a batch to a {@link KinesisBatchListener}; true once every record succeeded or was recovered. */
    boolean deliverBatch(KinesisBatchListener listener, List<KinesisRecord> records, Checkpointer checkpointer,
            ShardDeliveryState state) {
        List<KinesisRecord> remaining = new ArrayList<>(records);
        int attempt = 0;
        BackOffExecution backOff = null;
        // A lost lease ends the retries: the new owner delivers these records again from the stored checkpoint.
        while (container.isActive() && checkpointer.isLeaseHeld()) {
            if (remaining.isEmpty()) {
                return true;
            }
            List<KinesisRecordMetadata> metadata = remaining.stream()
                    .map(record -> KinesisRecordMetadata.of(streamName, record)).toList();
            Checkpointer scoped = new ScopedCheckpointer(checkpointer, remaining.get(remaining.size() - 1));
            attempt++;
            if (attempt > 1) {
                metrics.retried(settings, streamName, remaining.get(0));
            }
            state.started(remaining.get(0));
            state.callStarted();
            try {
                listener.onBatch(List.copyOf(remaining), metadata, scoped);
                state.callSucceeded();
                return true;
            }
            catch (PayloadConversionException ex) {
                state.callFailed(ex);
                attempt--;
                KinesisRecord bad = ex.getRecord();
                metrics.listenerFailed(settings, streamName, bad);
                logger.warn("Listener '{}' cannot convert the payload of record {} of shard {} in stream {}: {}",
                        settings.id(), bad.sequenceNumber(), bad.shardId(), streamName, ex.getMessage());
                if (!remaining.remove(bad) || !recover(List.of(bad), ex, state)) {
                    return false;
                }
            }
            catch (Throwable ex) {
                Exception failure = asException(rethrowFatal(ex));
                state.callFailed(failure);
                KinesisRecord first = remaining.get(0);
                metrics.listenerFailed(settings, streamName, first);
                backOff = (backOff != null) ? backOff : settings.backOff().start();
                long wait = backOff.nextBackOff();
                if (attempt >= settings.maxAttempts() || wait == BackOffExecution.STOP) {
                    logger.error("Listener '{}' failed on a batch of {} record(s) from {} of shard {} in stream {} "
                            + "after {} attempt(s)", settings.id(), remaining.size(), first.sequenceNumber(),
                            first.shardId(), streamName, attempt, failure);
                    return exhausted(remaining, failure, state);
                }
                if (container.isStopping()) {
                    logger.warn("Listener '{}' failed on a batch from {} of shard {} in stream {} while stopping; it "
                            + "is not retried here and is delivered again later", settings.id(),
                            first.sequenceNumber(), first.shardId(), streamName, failure);
                    return false;
                }
                logger.warn("Listener '{}' failed on a batch of {} record(s) from {} of shard {} in stream {} "
                        + "(attempt {}); retrying in {} ms", settings.id(), remaining.size(), first.sequenceNumber(),
                        first.shardId(), streamName, attempt, wait, failure);
                if (!container.awaitBackOff(wait)) {
                    return false;
                }
            }
        }
        return false;
    }

    private boolean exhausted(List<KinesisRecord> records, Exception failure, ShardDeliveryState state) {
        if (settings.exhaustedAction() == ExhaustedAction.STOP) {
            logger.error("Stopping listener '{}': the checkpoint of shard {} in stream {} stays before record {}",
                    settings.id(), records.get(0).shardId(), streamName, records.get(0).sequenceNumber());
            metrics.stopped(settings, streamName, records);
            container.stopAfterFailure("record " + records.get(0).sequenceNumber() + " of shard "
                    + records.get(0).shardId() + " in stream " + streamName + " failed every attempt: " + failure);
            return false;
        }
        return recover(records, failure, state);
    }

    /** Hands each record to the recoverer, calling it again after a backoff while it throws. */
    private boolean recover(List<KinesisRecord> records, Exception failure, ShardDeliveryState state) {
        for (KinesisRecord record : records) {
            KinesisRecordMetadata metadata = KinesisRecordMetadata.of(streamName, record);
            BackOffExecution backOff = null;
            while (true) {
                if (!container.isActive()) {
                    return false;
                }
                state.callStarted();
                try {
                    settings.recoverer().recover(record, metadata, failure);
                    state.callSucceeded();
                    metrics.recovered(settings, streamName, record, failure instanceof PayloadConversionException);
                    break;
                }
                catch (Throwable ex) {
                    rethrowFatal(ex);
                    state.callFailed(ex);
                    metrics.recovererFailed(settings, streamName, record);
                    if (container.isStopping()) {
                        logger.error("Recoverer of listener '{}' failed for record {} of shard {} in stream {} while "
                                + "stopping; the record is delivered again later", settings.id(),
                                record.sequenceNumber(), record.shardId(), streamName, ex);
                        return false;
                    }
                    backOff = (backOff != null) ? backOff : settings.backOff().start();
                    long wait = backOff.nextBackOff();
                    long delay = (wait == BackOffExecution.STOP) ? 1000 : wait;
                    logger.error("Recoverer of listener '{}' failed for record {} of shard {} in stream {}; "
                            + "calling it again in {} ms", settings.id(), record.sequenceNumber(), record.shardId(),
                            streamName, delay, ex);
                    if (!container.awaitBackOff(delay)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static Throwable rethrowFatal(Throwable ex) {
        if (ex instanceof VirtualMachineError error) {
            throw error;
        }
        return ex;
    }

    private static Exception asException(@Nullable Throwable ex) {
        if (ex instanceof Exception exception) {
            return exception;
        }
        return new ListenerExecutionFailedException("Listener threw " + ex, ex);
    }
}
