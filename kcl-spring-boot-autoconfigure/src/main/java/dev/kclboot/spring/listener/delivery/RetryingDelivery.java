package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.BatchListenerFailedException;
import dev.kclboot.spring.listener.ExhaustedAction;
import dev.kclboot.spring.listener.KinesisBatchListener;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisRecordListener;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;
import dev.kclboot.spring.listener.recovery.ListenerExecutionFailedException;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import dev.kclboot.spring.listener.recovery.RecordExpiredException;
import dev.kclboot.spring.listener.recovery.RecoveryReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Delivers a shard's records (one by one, or a batch) to the listener until each is done: succeeded, or recovered.
 * Failures are retried with the container's {@link org.springframework.util.backoff.BackOff}, counted per record in a
 * {@link FailedRecordTracker} (the recovery state lives there, not in this loop); after the last attempt a record is
 * recovered, or the listener stops. Payloads that cannot be converted go straight to the recoverer, and so do records
 * older than the listener's maximum age whenever they come up for (re-)delivery.
 * <p>
 * For a batch listener the batch is delivered in parts ({@link BatchPlan}): a {@link BatchListenerFailedException}
 * makes the records before the one it names done and resumes at it, with that record's attempts counted; with
 * bisecting, any other failure of a part of several records splits it in halves at once (no attempt counted, no
 * backoff), so that only a record delivered alone counts attempts. Without bisecting a failing part is retried whole,
 * its attempts counted under its first record, and exhausted as a whole.
 * <p>
 * Records are reported done through {@link DoneRecords} as they become done. The methods return false when the
 * records are not all done (the container is stopping, stops because of them, or the lease was lost); the caller must
 * then not checkpoint past those not reported. Every call and failure is noted in the {@link ShardDeliveryState} the
 * caller passes (the shard's, or with a concurrency above 1 the delivery's lane of it), so that health checks see a
 * record that keeps failing. Thread-safe: with a concurrency above 1 several deliveries of one shard use it at once
 * (its own state is the synchronized {@link FailedRecordTracker}).
 */
final class RetryingDelivery {

    private static final Logger logger = LoggerFactory.getLogger(RetryingDelivery.class);

    private final DeliveryContainer container;

    private final KinesisListenerSettings settings;

    private final String streamName;

    private final KinesisListenerMetrics metrics;

    private final FailedRecordTracker tracker;

    private final RecordAge age;

    RetryingDelivery(DeliveryContainer container, String streamName, Clock clock) {
        this.container = container;
        this.settings = container.getSettings();
        this.streamName = streamName;
        this.metrics = container.getMetrics();
        this.tracker = new FailedRecordTracker(settings.backOff(), settings.maxAttempts());
        this.age = new RecordAge(settings.delivery().maxRecordAge(), clock);
    }

    /** Delivers one record to a {@link KinesisRecordListener}; true once it succeeded or was recovered. */
    boolean deliverRecord(KinesisRecordListener listener, KinesisRecord record, Checkpointer checkpointer,
            ShardDeliveryState state, DoneRecords done) {
        state.started(record);
        KinesisRecordMetadata metadata = KinesisRecordMetadata.of(streamName, record);
        Checkpointer scoped = new ScopedCheckpointer(checkpointer, record);
        // A lost lease ends the retries: the new owner delivers these records again from the stored checkpoint.
        while (container.isActive() && checkpointer.isLeaseHeld()) {
            RecordExpiredException expired = age.expired(record);
            if (expired != null) {
                return recover(List.of(record), expired, state, done);
            }
            if (tracker.attempts(record) > 0) {
                metrics.retried(settings, streamName, record);
            }
            state.callStarted();
            try {
                listener.onRecord(record, metadata, scoped);
                state.callSucceeded();
                tracker.clear(record);
                done.done(List.of(record));
                return true;
            }
            catch (PayloadConversionException ex) {
                state.callFailed(ex);
                metrics.listenerFailed(settings, streamName, record);
                logConversion(record, ex);
                return recover(List.of(record), ex, state, done);
            }
            catch (Throwable ex) {
                Exception failure = asException(rethrowFatal(ex));
                state.callFailed(failure);
                metrics.listenerFailed(settings, streamName, record);
                FailedRecordTracker.Decision decision = tracker.failed(record);
                if (decision.exhausted()) {
                    logger.error("Listener '{}' failed on record {} of shard {} in stream {} after {} attempt(s)",
                            settings.id(), record.sequenceNumber(), record.shardId(), streamName,
                            decision.attempts(), failure);
                    return exhausted(List.of(record), failure, state, done);
                }
                if (!waitToRetry(record, "record " + record.sequenceNumber(), decision, failure)) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Delivers a batch to a {@link KinesisBatchListener}; true once every record succeeded or was recovered. */
    boolean deliverBatch(KinesisBatchListener listener, List<KinesisRecord> records, Checkpointer checkpointer,
            ShardDeliveryState state, DoneRecords done) {
        BatchPlan<KinesisRecord> plan = new BatchPlan<>(records);
        // A lost lease ends the retries: the new owner delivers these records again from the stored checkpoint.
        while (!plan.isEmpty()) {
            if (!container.isActive() || !checkpointer.isLeaseHeld()) {
                return false;
            }
            if (!recoverExpired(plan, state, done)) {
                return false;
            }
            if (plan.isEmpty()) {
                break;
            }
            List<KinesisRecord> part = plan.current();
            KinesisRecord first = part.get(0);
            List<KinesisRecordMetadata> metadata = part.stream()
                    .map(record -> KinesisRecordMetadata.of(streamName, record)).toList();
            Checkpointer scoped = new ScopedCheckpointer(checkpointer, part.get(part.size() - 1));
            if (tracker.attempts(first) > 0) {
                metrics.retried(settings, streamName, first);
            }
            state.started(first);
            state.callStarted();
            try {
                listener.onBatch(part, metadata, scoped);
                state.callSucceeded();
                plan.succeeded();
                completed(part, done);
            }
            catch (Throwable ex) {
                Exception failure = asException(rethrowFatal(ex));
                state.callFailed(failure);
                if (!batchFailed(plan, part, failure, state, done)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Decides what follows a failed call of a part of the plan; false when the delivery must end. */
    private boolean batchFailed(BatchPlan<KinesisRecord> plan, List<KinesisRecord> part, Exception failure,
            ShardDeliveryState state, DoneRecords done) {
        KinesisRecord first = part.get(0);
        if (failure instanceof PayloadConversionException conversion && plan.remove(conversion.getRecord())) {
            KinesisRecord bad = conversion.getRecord();
            metrics.listenerFailed(settings, streamName, bad);
            logConversion(bad, conversion);
            return recover(List.of(bad), conversion, state, done);
        }
        BatchListenerFailedException partial = findPartial(failure);
        int index = (partial != null) ? partial.indexIn(part) : -1;
        if (partial != null && index < 0) {
            logger.warn("Listener '{}' reported a failed record that is not in its batch of {} record(s) from {} of "
                    + "shard {}; the whole batch counts as failed", settings.id(), part.size(), first.sequenceNumber(),
                    first.shardId());
        }
        if (partial != null && index >= 0) {
            KinesisRecord failed = part.get(index);
            metrics.listenerFailed(settings, streamName, failed);
            completed(plan.dropFirst(index), done);
            Exception cause = (partial.getCause() instanceof Exception inner) ? inner : partial;
            FailedRecordTracker.Decision decision = tracker.failed(failed);
            if (decision.exhausted()) {
                logger.error("Listener '{}' failed on record {} of shard {} in stream {} after {} attempt(s)",
                        settings.id(), failed.sequenceNumber(), failed.shardId(), streamName, decision.attempts(),
                        cause);
                if (!exhausted(List.of(failed), cause, state, done)) {
                    return false;
                }
                plan.remove(failed);
                return true;
            }
            return waitToRetry(failed, "record " + failed.sequenceNumber() + " (at " + index + " of a batch of "
                    + part.size() + ")", decision, cause);
        }
        metrics.listenerFailed(settings, streamName, first);
        if (settings.delivery().bisectOnError() && plan.canSplit()) {
            logger.warn("Listener '{}' failed on a batch of {} record(s) from {} of shard {} in stream {}; splitting "
                    + "it in halves", settings.id(), part.size(), first.sequenceNumber(), first.shardId(), streamName,
                    failure);
            plan.split();
            return true;
        }
        FailedRecordTracker.Decision decision = tracker.failed(first);
        if (decision.exhausted()) {
            logger.error("Listener '{}' failed on a batch of {} record(s) from {} of shard {} in stream {} after {} "
                    + "attempt(s)", settings.id(), part.size(), first.sequenceNumber(), first.shardId(), streamName,
                    decision.attempts(), failure);
            if (!exhausted(part, failure, state, done)) {
                return false;
            }
            plan.dropFirst(part.size());
            return true;
        }
        return waitToRetry(first, "a batch of " + part.size() + " record(s) from " + first.sequenceNumber(), decision,
                failure);
    }

    /** Hands the records of the current part that are too old to the recoverer and takes them out of the plan. */
    private boolean recoverExpired(BatchPlan<KinesisRecord> plan, ShardDeliveryState state, DoneRecords done) {
        for (KinesisRecord record : List.copyOf(plan.current())) {
            RecordExpiredException expired = age.expired(record);
            if (expired != null) {
                if (!recover(List.of(record), expired, state, done)) {
                    return false;
                }
                plan.remove(record);
            }
        }
        return true;
    }

    private void completed(List<KinesisRecord> records, DoneRecords done) {
        if (records.isEmpty()) {
            return;
        }
        records.forEach(tracker::clear);
        done.done(records);
    }

    /** Waits for the backoff before the next attempt; false when the container is stopping. */
    private boolean waitToRetry(KinesisRecord record, String what, FailedRecordTracker.Decision decision,
            Exception failure) {
        if (container.isStopping()) {
            logger.warn("Listener '{}' failed on {} of shard {} in stream {} while stopping; it is not retried here "
                    + "and is delivered again later", settings.id(), what, record.shardId(), streamName, failure);
            return false;
        }
        logger.warn("Listener '{}' failed on {} of shard {} in stream {} (attempt {}); retrying in {} ms",
                settings.id(), what, record.shardId(), streamName, decision.attempts(), decision.backOffMillis(),
                failure);
        return container.awaitBackOff(decision.backOffMillis());
    }

    private boolean exhausted(List<KinesisRecord> records, Exception failure, ShardDeliveryState state,
            DoneRecords done) {
        if (settings.exhaustedAction() == ExhaustedAction.STOP) {
            logger.error("Stopping listener '{}': the checkpoint of shard {} in stream {} stays before record {}",
                    settings.id(), records.get(0).shardId(), streamName, records.get(0).sequenceNumber());
            metrics.stopped(settings, streamName, records);
            container.stopAfterFailure("record " + records.get(0).sequenceNumber() + " of shard "
                    + records.get(0).shardId() + " in stream " + streamName + " failed every attempt: " + failure);
            return false;
        }
        return recover(records, failure, state, done);
    }

    /**
     * Hands each record to the recoverer, calling it again after a backoff while it throws; each record is done once
     * the recoverer returned for it.
     */
    private boolean recover(List<KinesisRecord> records, Exception failure, ShardDeliveryState state,
            DoneRecords done) {
        RecoveryReason reason = RecoveryReason.of(failure);
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
                    metrics.recovered(settings, streamName, record, reason);
                    completed(List.of(record), done);
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

    private void logConversion(KinesisRecord record, PayloadConversionException ex) {
        logger.warn("Listener '{}' cannot convert the payload of record {} of shard {} in stream {}: {}",
                settings.id(), record.sequenceNumber(), record.shardId(), streamName, ex.getMessage());
    }

    /** The {@link BatchListenerFailedException} the failure is or was caused by, if any. */
    private static @Nullable BatchListenerFailedException findPartial(Throwable failure) {
        Throwable current = failure;
        // Bounded, in case of a cause cycle; listener adapters may wrap what the method threw.
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current instanceof BatchListenerFailedException partial) {
                return partial;
            }
            current = current.getCause();
        }
        return null;
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
