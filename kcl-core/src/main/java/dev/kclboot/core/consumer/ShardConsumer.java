package dev.kclboot.core.consumer;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.kclboot.core.aggregation.HashKeyRange;
import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.checkpoint.ShardCheckpointer;
import dev.kclboot.core.fetch.FetchOutcome;
import dev.kclboot.core.fetch.FetchResult;
import dev.kclboot.core.fetch.RecordConverter;
import dev.kclboot.core.fetch.ShardReader;
import dev.kclboot.core.lease.HeldLeaseView;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShardFailedException;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.ShardPresence;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;

/**
 * Consumes one shard for one lease tenure: initializes a processor, reads and delivers batches in order until the
 * shard ends (TERMINATE), the lease is lost (ZOMBIE) or a stop is requested (REQUESTED), then shuts the processor
 * down and, for TERMINATE and REQUESTED, releases the lease.
 * <p>
 * It is a state machine, not a thread: each {@link #wake()} runs one step on the shared processing executor (never
 * two at once for one consumer), and a consumer that waits (for its read, the pacing, a retry backoff, a resume)
 * holds no thread. Reads run on the fetching executor, at most one per shard, started as soon as a batch arrives so
 * the next batch is read while this one is processed (two batches in memory at most).
 * <ul>
 * <li>A batch whose processing throws is delivered again after a backoff (unless the worker skips failed batches as
 * the KCL does); nothing is checkpointed unless the processor does it.</li>
 * <li>At the end of the shard the children's leases are created (retried with backoff) before
 * {@code shutdown(TERMINATE)} lets the processor checkpoint SHARD_END.</li>
 * <li>A shard Kinesis no longer has (its records expired, or the stream was deleted) ends with TERMINATE too: the
 * processor may checkpoint SHARD_END and the children proceed.</li>
 * <li>Any other failure (the processor's initialize throws, Kinesis refuses to read the shard, the processor does not
 * checkpoint SHARD_END at TERMINATE) shuts the processor down with ZOMBIE, releases the lease and tells the
 * {@link ConsumerListener}, which keeps this worker from taking the shard again for a while.</li>
 * </ul>
 */
public final class ShardConsumer {

    private static final Logger logger = LoggerFactory.getLogger(ShardConsumer.class);

    /** How often a consumer finds the shard open although Kinesis said it was not found, before it gives up. */
    private static final int OPEN_BUT_NOT_FOUND_LIMIT = 3;

    private enum Phase { NEW, READING, ENDING, DONE }

    /** A batch read and not yet processed successfully. */
    private static final class Batch {

        final List<KinesisRecord> records;

        final FetchResult read;

        final long bytes;

        int attempts;

        long retryAtNanos;

        Batch(List<KinesisRecord> records, FetchResult read) {
            this.records = Collections.unmodifiableList(records);
            this.read = read;
            this.bytes = bytes(records);
        }
    }

    private final ConsumerContext context;

    private final StreamRef stream;

    private final String shardId;

    private final HeldLeaseView tenure;

    private final String leaseKey;

    private final StepRunner runner;

    private volatile boolean shutdownRequested;

    private volatile boolean abandoned;

    private volatile boolean done;

    private volatile @Nullable Long millisBehindLatest;

    // The fields below are touched only by steps, which never run at once.

    private Phase phase = Phase.NEW;

    private @Nullable RecordProcessor processor;

    private @Nullable ShardCheckpointer checkpointer;

    private @Nullable ShardReader reader;

    private @Nullable PendingRead pending;

    private @Nullable Batch batch;

    /** The checkpoint the shard restarted from: records it covers are filtered from the first batch. */
    private @Nullable ExtendedSequenceNumber alreadyDone;

    private ShutdownReason endReason = ShutdownReason.REQUESTED;

    private List<ChildShard> childShards = List.of();

    private boolean childrenCreated;

    private boolean streamDeleted;

    private int childAttempts;

    private long childRetryAtNanos;

    private int openButNotFound;

    public ShardConsumer(ConsumerContext context, StreamRef stream, HeldLeaseView tenure) {
        this.context = context;
        this.stream = stream;
        this.tenure = tenure;
        this.leaseKey = tenure.lease().leaseKey();
        this.shardId = stream.shardIdOf(leaseKey);
        this.runner = new StepRunner(context.processing(), this::step);
    }

    public String leaseKey() {
        return leaseKey;
    }

    public StreamRef stream() {
        return stream;
    }

    public String shardId() {
        return shardId;
    }

    public HeldLeaseView tenure() {
        return tenure;
    }

    public @Nullable Long millisBehindLatest() {
        return millisBehindLatest;
    }

    /** The checkpoint stored for the shard as far as this consumer knows (the lease's until the processor writes). */
    public ExtendedSequenceNumber lastCheckpoint() {
        ShardCheckpointer current = checkpointer;
        return current == null ? tenure.lease().checkpoint() : current.lastCheckpoint();
    }

    /** Whether the consumer has stopped for good (after its processor's shutdown, or abandoned). */
    public boolean isFinished() {
        return done;
    }

    /** Starts consuming (the first step initializes the processor). */
    public void start() {
        runner.wake();
    }

    /** Asks for a step: something the consumer waits for may have happened (a resume, a lost lease). */
    public void wake() {
        runner.wake();
    }

    /** Asks for a graceful stop: the batch in flight finishes, then shutdown(REQUESTED). */
    public void requestShutdown() {
        shutdownRequested = true;
        runner.wake();
    }

    /** Wakes the consumer so it notices at once that its lease was lost. */
    public void leaseLost() {
        runner.wake();
    }

    /**
     * Gives up on a consumer that did not stop in time: no further processor call, no checkpoint (the lease is no
     * longer held by then), and the processor call in progress, if any, is interrupted.
     */
    public void abandon() {
        abandoned = true;
        runner.interrupt();
        runner.wake();
    }

    private void step() {
        if (phase == Phase.DONE) {
            return;
        }
        try {
            if (phase == Phase.NEW && !stopIfAbandoned()) {
                initialize();
            }
            if (phase == Phase.READING && !stopIfAbandoned()) {
                read();
            }
            if (phase == Phase.ENDING && !stopIfAbandoned()) {
                end();
            }
        }
        catch (RuntimeException | LinkageError | AssertionError ex) {
            fail(ex);
        }
        catch (Error ex) {
            fail(ex);
            throw ex;
        }
    }

    /** An abandoned consumer calls its processor no more: it just stops. */
    private boolean stopIfAbandoned() {
        if (!abandoned) {
            return false;
        }
        cancelPendingRead();
        dropBatch();
        phase = Phase.DONE;
        done = true;
        return true;
    }

    private void initialize() {
        Lease lease = tenure.lease();
        ExtendedSequenceNumber checkpoint = lease.checkpoint();
        checkpointer = new ShardCheckpointer(context.coordinator(), stream, shardId, tenure.token(), checkpoint,
                context.metrics(), () -> shutdownRequested);
        RecordProcessor created = context.processorFactory().create(stream.streamName());
        processor = created;
        created.initialize(shardId, checkpoint);
        if (checkpoint.isShardEnd()) {
            childrenCreated = true;
            beginEnd(ShutdownReason.TERMINATE);
            return;
        }
        // After a split, KPL user records hashing outside this shard's range are dropped, as the KCL does.
        HashKeyRange range = (lease.startingHashKey() == null || lease.endingHashKey() == null) ? null
                : HashKeyRange.of(lease.startingHashKey(), lease.endingHashKey());
        RecordConverter converter = (shard, record) -> context.deaggregator().deaggregate(shard, record, range);
        reader = context.readers().create(stream, shardId, checkpoint, converter);
        alreadyDone = checkpoint.isSentinel() ? null : checkpoint;
        phase = Phase.READING;
    }

    private void read() {
        while (phase == Phase.READING && !abandoned) {
            // A lost lease wins over a shutdown request: its processor must not be told it may checkpoint.
            if (!isHeld()) {
                beginEnd(ShutdownReason.ZOMBIE);
                return;
            }
            if (shutdownRequested) {
                beginEnd(ShutdownReason.REQUESTED);
                return;
            }
            Batch current = batch;
            if (current == null) {
                current = nextBatch();
                if (current == null) {
                    return; // Waiting for a read, or the shard ended without records.
                }
                batch = current;
            }
            if (context.paused().test(stream.streamName())) {
                return; // Held until resumed (a resume wakes this consumer); a lost lease or a stop wakes it too.
            }
            long wait = current.retryAtNanos - System.nanoTime();
            if (current.attempts > 0 && wait > 0) {
                wakeAfter(Duration.ofNanos(wait));
                return;
            }
            if (!deliver(current)) {
                return; // Delivered again after the backoff.
            }
            dropBatch();
            context.listener().progressed(this);
            if (current.read.shardEnd()) {
                reachedShardEnd(current.read.childShards());
                return;
            }
        }
    }

    /** The next batch to deliver from the read in flight, or null while it is not there (a read is then scheduled). */
    private @Nullable Batch nextBatch() {
        PendingRead read = pending;
        if (read == null) {
            scheduleRead(null);
            return null;
        }
        if (!read.isDone()) {
            return null;
        }
        pending = null;
        FetchOutcome outcome = read.outcome();
        if (outcome instanceof FetchOutcome.Records records) {
            return accept(records.result());
        }
        if (outcome instanceof FetchOutcome.RetryLater retry) {
            scheduleRead(retry.delay());
            return null;
        }
        if (outcome instanceof FetchOutcome.NotFound notFound) {
            notFound(notFound);
            return null;
        }
        FetchOutcome.Failed failed = (FetchOutcome.Failed) outcome;
        throw new ShardConsumerException("Kinesis refused " + failed.action() + " on shard " + shardId + " of stream "
                + stream.nameOrArn() + ": " + AwsFailures.describe(failed.cause()), failed.cause());
    }

    private @Nullable Batch accept(FetchResult result) {
        openButNotFound = 0;
        if (result.millisBehindLatest() != null) {
            millisBehindLatest = result.millisBehindLatest();
            context.metrics().millisBehindLatest(stream, shardId, result.millisBehindLatest());
        }
        List<KinesisRecord> records = result.records();
        if (alreadyDone != null) {
            records = after(records, alreadyDone);
            if (!result.records().isEmpty()) {
                alreadyDone = null;
            }
        }
        if (records.isEmpty()) {
            context.listener().progressed(this);
            if (result.shardEnd()) {
                reachedShardEnd(result.childShards());
            }
            else {
                scheduleRead(null);
            }
            return null;
        }
        Batch next = new Batch(records, result);
        context.readAhead().hold(next.bytes);
        if (!result.shardEnd() && context.readAhead().hasRoom()) {
            scheduleRead(null); // Read ahead while this batch is processed.
        }
        return next;
    }

    /** Processes a batch once; false when it failed and was scheduled for another delivery. */
    private boolean deliver(Batch current) {
        RecordProcessor target = requireProcessor();
        ShardCheckpointer shardCheckpointer = requireCheckpointer();
        shardCheckpointer.delivered(current.records);
        long start = System.nanoTime();
        try {
            target.processRecords(current.records, shardCheckpointer, current.read.millisBehindLatest());
            context.metrics().batchProcessed(stream, shardId, current.records.size(), current.bytes,
                    Duration.ofNanos(System.nanoTime() - start));
            return true;
        }
        catch (ShardFailedException ex) {
            throw ex; // Ends the tenure as a consumer failure.
        }
        catch (RuntimeException | LinkageError | AssertionError ex) {
            context.metrics().processingFailed(stream, shardId);
            List<KinesisRecord> records = current.records;
            if (context.skipFailedBatches() && isHeld()) {
                logger.error("Processor of shard {} failed on a batch of {} records ({}..{}); skipping it as "
                        + "configured", shardId, records.size(), records.get(0).sequenceNumber(),
                        records.get(records.size() - 1).sequenceNumber(), ex);
                return true;
            }
            Duration delay = context.retryBackoff().delay(current.attempts++);
            current.retryAtNanos = System.nanoTime() + delay.toNanos();
            logger.warn("Processor of shard {} failed on a batch of {} records (attempt {}); delivering it again "
                    + "in {} ms", shardId, records.size(), current.attempts, delay.toMillis(), ex);
            wakeAfter(delay);
            return false;
        }
    }

    /** Kinesis said the shard is not there: find out whether the stream is gone, the shard expired, or neither. */
    private void notFound(FetchOutcome.NotFound notFound) {
        ShardPresence.Presence presence = context.presence().check(stream, shardId);
        switch (presence) {
            case STREAM_DELETED -> {
                logger.warn("Stream {} was deleted: ending shard {} with TERMINATE", stream, shardId);
                streamDeleted = true;
                context.listener().streamDeleted(stream);
                reachedShardEnd(List.of());
            }
            case SHARD_NOT_LISTED, SHARD_CLOSED -> {
                logger.warn("Shard {} of stream {} is no longer readable ({} answered {}; the shard is {}): ending it "
                        + "with TERMINATE so its children proceed. Records not read before they expired are lost.",
                        shardId, stream, notFound.action(), AwsFailures.describe(notFound.cause()),
                        presence == ShardPresence.Presence.SHARD_CLOSED ? "closed" : "not listed");
                reachedShardEnd(List.of());
            }
            case SHARD_OPEN -> {
                if (++openButNotFound >= OPEN_BUT_NOT_FOUND_LIMIT) {
                    throw new ShardConsumerException("Kinesis answered " + notFound.action() + " on open shard " + shardId
                            + " of stream " + stream.nameOrArn() + " with " + AwsFailures.describe(notFound.cause()),
                            notFound.cause());
                }
                scheduleRead(context.retryBackoff().delay(openButNotFound));
            }
            case UNKNOWN -> scheduleRead(context.retryBackoff().delay(openButNotFound++));
        }
    }

    private void reachedShardEnd(List<ChildShard> children) {
        childShards = children;
        beginEnd(ShutdownReason.TERMINATE);
    }

    private void beginEnd(ShutdownReason reason) {
        cancelPendingRead();
        dropBatch();
        endReason = reason;
        phase = Phase.ENDING;
    }

    private void end() {
        if (endReason == ShutdownReason.TERMINATE && !streamDeleted && !childrenCreated && !createChildren()) {
            return; // Waiting to retry.
        }
        ShardCheckpointer shardCheckpointer = requireCheckpointer();
        if (endReason == ShutdownReason.TERMINATE) {
            shardCheckpointer.shardEnded();
        }
        else if (endReason == ShutdownReason.ZOMBIE) {
            shardCheckpointer.revoke();
        }
        try {
            requireProcessor().shutdown(shardCheckpointer, endReason);
        }
        catch (RuntimeException ex) {
            logger.warn("Processor of shard {} threw in shutdown({})", shardId, endReason, ex);
        }
        if (endReason == ShutdownReason.TERMINATE && !shardCheckpointer.lastCheckpoint().isShardEnd()) {
            // A broken contract, not a shard end: counted as a failure so the shard is not re-read in a tight loop.
            ShardConsumerException failure = new ShardConsumerException("The processor of shard " + shardId
                    + " of stream " + stream + " did not checkpoint SHARD_END at TERMINATE; its children wait, and the "
                    + "shard is read again from its checkpoint " + shardCheckpointer.lastCheckpoint() + " after a backoff");
            logger.error(failure.getMessage());
            context.coordinator().release(leaseKey, tenure.token());
            finish();
            context.listener().failed(this, failure);
            return;
        }
        if (endReason != ShutdownReason.ZOMBIE) {
            context.coordinator().release(leaseKey, tenure.token());
        }
        finish();
        context.listener().finished(this, endReason);
    }

    /** One attempt at creating the children's leases; false when it must be retried (a wake-up is scheduled). */
    private boolean createChildren() {
        if (!isHeld()) {
            endReason = ShutdownReason.ZOMBIE;
            return true;
        }
        if (shutdownRequested) {
            // The next owner reads to the end again and creates them.
            endReason = ShutdownReason.REQUESTED;
            return true;
        }
        long wait = childRetryAtNanos - System.nanoTime();
        if (childAttempts > 0 && wait > 0) {
            wakeAfter(Duration.ofNanos(wait));
            return false;
        }
        Lease current = context.coordinator().heldLease(leaseKey).map(HeldLeaseView::lease).orElse(tenure.lease());
        try {
            context.childLeases().create(stream, current, childShards);
            childrenCreated = true;
            return true;
        }
        catch (RuntimeException ex) {
            if (!AwsFailures.isRetryable(ex)) {
                throw new ShardConsumerException("Could not create the leases of the children of shard " + shardId
                        + " of stream " + stream + " in table " + context.coordinator().table().tableName() + ": "
                        + AwsFailures.describe(ex), ex);
            }
            Duration delay = context.childLeaseBackoff().delay(childAttempts++);
            childRetryAtNanos = System.nanoTime() + delay.toNanos();
            logger.warn("Could not create the leases of the children of shard {} ({}); retrying in {} ms", shardId,
                    AwsFailures.describe(ex), delay.toMillis());
            wakeAfter(delay);
            return false;
        }
    }

    /**
     * The consumer failed: the processor (if any) is told ZOMBIE, with checkpoints refused, the lease is released,
     * and the listener decides when this worker may take the shard again.
     */
    private void fail(Throwable cause) {
        if (stopIfAbandoned()) {
            return;
        }
        // Failures the engine or the processor already described need no stack trace.
        boolean described = cause instanceof ShardConsumerException || cause instanceof ShardFailedException;
        logger.error("Consumer of shard {} of stream {} failed: {}", shardId, stream, cause.getMessage(),
                described ? null : cause);
        cancelPendingRead();
        dropBatch();
        RecordProcessor target = processor;
        ShardCheckpointer shardCheckpointer = checkpointer;
        if (target != null && shardCheckpointer != null) {
            shardCheckpointer.revoke();
            try {
                target.shutdown(shardCheckpointer, ShutdownReason.ZOMBIE);
            }
            catch (RuntimeException ex) {
                logger.warn("Processor of shard {} threw in shutdown(ZOMBIE) after a failure", shardId, ex);
            }
        }
        context.coordinator().release(leaseKey, tenure.token());
        finish();
        context.listener().failed(this, cause);
    }

    /** The batch is processed or given up: its bytes no longer count against the read-ahead budget. */
    private void dropBatch() {
        Batch current = batch;
        batch = null;
        if (current != null) {
            context.readAhead().release(current.bytes);
        }
    }

    private void finish() {
        phase = Phase.DONE;
        ShardCheckpointer current = checkpointer;
        context.metrics().shardStopped(stream, shardId, endReason == ShutdownReason.TERMINATE && current != null
                && current.lastCheckpoint().isShardEnd());
        done = true;
    }

    private void scheduleRead(@Nullable Duration explicitDelay) {
        ShardReader current = reader;
        if (current == null || pending != null) {
            return;
        }
        PendingRead read = new PendingRead();
        pending = read;
        current.request(explicitDelay, outcome -> {
            if (!read.isCancelled()) {
                read.complete(outcome);
                runner.wake();
            }
        });
    }

    /** Drops the read in flight; the reader is closed, since no read follows. */
    private void cancelPendingRead() {
        PendingRead read = pending;
        pending = null;
        if (read != null) {
            read.cancel();
        }
        ShardReader current = reader;
        if (current != null) {
            current.close();
        }
    }

    private void wakeAfter(Duration delay) {
        try {
            context.timer().schedule(runner::wake, Math.max(1, delay.toNanos()), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // The worker is stopping.
        }
    }

    private boolean isHeld() {
        return context.coordinator().isHeld(leaseKey, tenure.token());
    }

    private RecordProcessor requireProcessor() {
        RecordProcessor target = processor;
        if (target == null) {
            throw new IllegalStateException("No processor for shard " + shardId);
        }
        return target;
    }

    private ShardCheckpointer requireCheckpointer() {
        ShardCheckpointer target = checkpointer;
        if (target == null) {
            throw new IllegalStateException("No checkpointer for shard " + shardId);
        }
        return target;
    }

    /** Drops the records the checkpoint covers (an AT_SEQUENCE_NUMBER restart re-reads the checkpointed record). */
    private static List<KinesisRecord> after(List<KinesisRecord> records, ExtendedSequenceNumber checkpoint) {
        return records.stream()
                .filter(record -> ExtendedSequenceNumber.of(record.sequenceNumber(), record.subSequenceNumber())
                        .compareTo(checkpoint) > 0)
                .toList();
    }

    private static long bytes(List<KinesisRecord> records) {
        long total = 0;
        for (KinesisRecord record : records) {
            total += record.dataLength();
        }
        return total;
    }
}
