package dev.kclboot.core.checkpoint;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.LeaseLostException;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

/**
 * The {@link Checkpointer} of one shard lease tenure. Validates every position against the stored checkpoint and the
 * last record handed over, then writes through the {@link LeaseCoordinator} (fenced by the lease counter and the
 * tenure's token). Thread-safe, so a periodic checkpoint may run beside the processor.
 */
public class ShardCheckpointer implements Checkpointer {

    private final LeaseCoordinator coordinator;

    private final StreamRef stream;

    private final String shardId;

    private final String leaseKey;

    private final UUID token;

    private final EngineMetrics metrics;

    private ExtendedSequenceNumber lastCheckpoint;

    private @Nullable ExtendedSequenceNumber largestPermitted;

    /**
     * For the KPL aggregates of the last batch: the last sub-sequence number of each, so {@code checkpoint(String)}
     * covers the whole aggregate. Plain records (sub-sequence 0) are not stored, so the batch itself is not retained.
     */
    private final Map<String, Long> lastSubSequenceOfAggregate = new HashMap<>();

    /** The sequence number of the first record of the last batch: below it, a record's sub-records are unknown. */
    private @Nullable BigInteger firstOfBatch;

    private boolean shardEnded;

    private boolean revoked;

    private final BooleanSupplier stopRequested;

    /**
     * @param stopRequested whether the consumer was asked to stop gracefully ({@link #isStopRequested()})
     */
    public ShardCheckpointer(LeaseCoordinator coordinator, StreamRef stream, String shardId, UUID token,
            ExtendedSequenceNumber lastCheckpoint, EngineMetrics metrics, BooleanSupplier stopRequested) {
        this.coordinator = coordinator;
        this.stream = stream;
        this.shardId = shardId;
        this.leaseKey = stream.leaseKey(shardId);
        this.token = token;
        this.lastCheckpoint = lastCheckpoint;
        this.metrics = metrics;
        this.stopRequested = stopRequested;
    }

    /** Called before a batch is handed to the processor: checkpoints up to its last record become permitted. */
    public synchronized void delivered(List<KinesisRecord> batch) {
        lastSubSequenceOfAggregate.clear();
        for (KinesisRecord record : batch) {
            if (record.aggregated()) {
                lastSubSequenceOfAggregate.merge(record.sequenceNumber(), record.subSequenceNumber(), Math::max);
            }
        }
        firstOfBatch = new BigInteger(batch.get(0).sequenceNumber());
        KinesisRecord last = batch.get(batch.size() - 1);
        largestPermitted = ExtendedSequenceNumber.of(last.sequenceNumber(), last.subSequenceNumber());
    }

    /** The shard was read to its end: {@code checkpoint()} now records SHARD_END. */
    public synchronized void shardEnded() {
        shardEnded = true;
    }

    /** The lease was lost: every checkpoint from now on is refused. */
    public synchronized void revoke() {
        revoked = true;
    }

    @Override
    public synchronized void checkpoint() {
        if (shardEnded) {
            write(ExtendedSequenceNumber.SHARD_END);
        }
        else if (largestPermitted != null && largestPermitted.compareTo(lastCheckpoint) > 0) {
            write(largestPermitted);
        }
        else {
            requireHeld();
        }
    }

    @Override
    public synchronized void checkpoint(String sequenceNumber) {
        checkpoint(sequenceNumber, lastSubSequenceOf(sequenceNumber));
    }

    /**
     * The sub-sequence number that covers the whole record: for a record of the last batch the last sub-record of its
     * aggregate (0 for a plain record); for a record of an earlier batch, whose sub-records are no longer known,
     * {@link ExtendedSequenceNumber#WHOLE_RECORD}, so none of its user records comes again.
     */
    private long lastSubSequenceOf(String sequenceNumber) {
        Long last = lastSubSequenceOfAggregate.get(sequenceNumber);
        if (last != null) {
            return last;
        }
        if (firstOfBatch != null && isNumber(sequenceNumber) && new BigInteger(sequenceNumber).compareTo(firstOfBatch) < 0) {
            return ExtendedSequenceNumber.WHOLE_RECORD;
        }
        return 0L;
    }

    private static boolean isNumber(@Nullable String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(Character::isDigit);
    }

    @Override
    public synchronized void checkpoint(String sequenceNumber, long subSequenceNumber) {
        ExtendedSequenceNumber position;
        try {
            position = ExtendedSequenceNumber.of(sequenceNumber, subSequenceNumber);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId + " at '" + sequenceNumber
                    + "': " + ex.getMessage(), ex);
        }
        if (position.isSentinel()) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId + " at the sentinel "
                    + sequenceNumber + "; use checkpoint() after TERMINATE for SHARD_END");
        }
        if (position.compareTo(lastCheckpoint) < 0) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId + " at " + position
                    + ": it is below the stored checkpoint " + lastCheckpoint);
        }
        if (largestPermitted == null || position.compareTo(largestPermitted) > 0) {
            throw new IllegalArgumentException("Cannot checkpoint shard " + shardId + " at " + position
                    + ": it is above the last record handed over (" + largestPermitted + ")");
        }
        if (position.equals(lastCheckpoint)) {
            requireHeld();
            return;
        }
        write(position);
    }

    @Override
    public void checkpoint(KinesisRecord record) {
        checkpoint(record.sequenceNumber(), record.subSequenceNumber());
    }

    @Override
    public String shardId() {
        return shardId;
    }

    @Override
    public synchronized ExtendedSequenceNumber lastCheckpoint() {
        return lastCheckpoint;
    }

    @Override
    public synchronized boolean isLeaseHeld() {
        return !revoked && coordinator.isHeld(leaseKey, token);
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested.getAsBoolean();
    }

    private void requireHeld() {
        if (revoked || !coordinator.isHeld(leaseKey, token)) {
            throw new ShutdownException("Cannot checkpoint shard " + shardId + ": its lease is no longer held by this worker");
        }
    }

    private void write(ExtendedSequenceNumber position) {
        requireHeld();
        try {
            coordinator.checkpoint(leaseKey, token, position);
            lastCheckpoint = position;
            metrics.checkpointWritten(stream, shardId);
        }
        catch (LeaseLostException ex) {
            metrics.checkpointFailed(stream, shardId);
            revoked = true;
            throw new ShutdownException("Cannot checkpoint shard " + shardId + ": its lease was taken by another worker");
        }
        catch (AwsServiceException ex) {
            metrics.checkpointFailed(stream, shardId);
            if (ex.isThrottlingException() || ex instanceof ProvisionedThroughputExceededException
                    || ex instanceof RequestLimitExceededException) {
                throw new ThrottlingException("DynamoDB throttled the checkpoint of shard " + shardId, ex);
            }
            throw new DependencyException("Could not write the checkpoint of shard " + shardId + ": " + ex.getMessage(), ex);
        }
        catch (SdkException ex) {
            metrics.checkpointFailed(stream, shardId);
            throw new DependencyException("Could not write the checkpoint of shard " + shardId + ": " + ex.getMessage(), ex);
        }
    }
}
