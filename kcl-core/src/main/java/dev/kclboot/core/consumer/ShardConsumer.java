package dev.kclboot.core.consumer;

import dev.kclboot.core.stream.StreamRef;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import dev.kclboot.core.aggregation.HashKeyRange;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.checkpoint.ShardCheckpointer;
import dev.kclboot.core.fetch.FetchResult;
import dev.kclboot.core.fetch.PollingFetcher;
import dev.kclboot.core.fetch.PrefetchingFetcher;
import dev.kclboot.core.fetch.RecordConverter;
import dev.kclboot.core.lease.HeldLeaseView;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.ShutdownReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one shard for one lease tenure, on its own thread: waits until the parents are finished, initializes a
 * processor, then reads and delivers batches in order until the shard ends (TERMINATE), the lease is lost (ZOMBIE)
 * or the worker shuts down (REQUESTED). A batch whose processing throws is delivered again after a backoff; nothing
 * is checkpointed unless the processor does it. On REQUESTED and after SHARD_END the lease is released.
 */
public class ShardConsumer implements Runnable {

    private static final Logger logger = LoggerFactory.getLogger(ShardConsumer.class);

    private enum Outcome { DELIVERED, LOST, STOPPING }

    private final ConsumerContext context;

    private final StreamRef stream;

    private final String shardId;

    private final HeldLeaseView tenure;

    private final String leaseKey;

    private volatile boolean shutdownRequested;

    private volatile boolean finished;

    private volatile @Nullable Long millisBehindLatest;

    private final Object wakeUp = new Object();

    public ShardConsumer(ConsumerContext context, StreamRef stream, HeldLeaseView tenure) {
        this.context = context;
        this.stream = stream;
        this.tenure = tenure;
        this.leaseKey = tenure.lease().leaseKey();
        this.shardId = stream.shardIdOf(leaseKey);
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

    public boolean isFinished() {
        return finished;
    }

    /** Asks for a graceful stop: the batch in flight finishes, then shutdown(REQUESTED). */
    public void requestShutdown() {
        shutdownRequested = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Wakes the consumer so it notices at once that its lease was lost. */
    public void leaseLost() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            consume();
        }
        catch (RuntimeException | Error ex) {
            logger.error("Consumer of shard {} failed", shardId, ex);
        }
        finally {
            context.metrics().shardStopped(stream, shardId);
            finished = true;
        }
    }

    private void consume() {
        ShutdownReason parentsOutcome = awaitParents();
        if (parentsOutcome != null) {
            if (parentsOutcome == ShutdownReason.REQUESTED) {
                context.coordinator().release(leaseKey, tenure.token());
            }
            return;
        }
        ExtendedSequenceNumber checkpoint = tenure.lease().checkpoint();
        ShardCheckpointer checkpointer = new ShardCheckpointer(context.coordinator(), stream, shardId, tenure.token(),
                checkpoint, context.metrics());
        RecordProcessor processor = context.processorFactory().create(stream.streamName());
        processor.initialize(shardId);
        ShutdownReason reason = checkpoint.isShardEnd() ? ShutdownReason.TERMINATE : readAndDeliver(processor, checkpointer, checkpoint);
        if (reason == ShutdownReason.TERMINATE) {
            checkpointer.shardEnded();
        }
        else if (reason == ShutdownReason.ZOMBIE) {
            checkpointer.revoke();
        }
        try {
            processor.shutdown(checkpointer, reason);
        }
        catch (RuntimeException ex) {
            logger.warn("Processor of shard {} threw in shutdown({})", shardId, reason, ex);
        }
        afterShutdown(reason, checkpointer);
    }

    private void afterShutdown(ShutdownReason reason, ShardCheckpointer checkpointer) {
        if (reason == ShutdownReason.REQUESTED) {
            context.coordinator().release(leaseKey, tenure.token());
        }
        else if (reason == ShutdownReason.TERMINATE) {
            if (!checkpointer.lastCheckpoint().isShardEnd()) {
                logger.warn("Processor of shard {} did not checkpoint SHARD_END at TERMINATE; its children wait and "
                        + "the shard will be read again from its checkpoint", shardId);
            }
            context.coordinator().release(leaseKey, tenure.token());
        }
    }

    private ShutdownReason readAndDeliver(RecordProcessor processor, ShardCheckpointer checkpointer,
            ExtendedSequenceNumber checkpoint) {
        Lease lease = tenure.lease();
        // After a split, KPL user records hashing outside this shard's range are dropped, as the KCL does.
        HashKeyRange range = (lease.startingHashKey() == null || lease.endingHashKey() == null) ? null
                : HashKeyRange.of(lease.startingHashKey(), lease.endingHashKey());
        RecordConverter converter = (shard, record) -> context.deaggregator().deaggregate(shard, record, range);
        PollingFetcher fetcher = new PollingFetcher(context.kinesis(), stream, shardId, context.maxRecords(),
                context.idleTimeBetweenReads(), converter, context.metrics());
        fetcher.start(checkpoint, context.initialPosition());
        try (PrefetchingFetcher reader = new PrefetchingFetcher(fetcher, context.prefetchExecutor())) {
            return readAndDeliver(processor, checkpointer, checkpoint, reader);
        }
    }

    private ShutdownReason readAndDeliver(RecordProcessor processor, ShardCheckpointer checkpointer,
            ExtendedSequenceNumber checkpoint, PrefetchingFetcher reader) {
        ExtendedSequenceNumber alreadyDone = checkpoint.isSentinel() ? null : checkpoint;
        while (true) {
            // A lost lease wins over a shutdown request: its processor must not be told it may checkpoint.
            if (!isHeld()) {
                return ShutdownReason.ZOMBIE;
            }
            if (shutdownRequested) {
                return ShutdownReason.REQUESTED;
            }
            if (!awaitResumed()) {
                continue; // Stopping or lost: the checks above say which.
            }
            FetchResult result;
            try {
                result = reader.next();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return ShutdownReason.REQUESTED;
            }
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
            if (!records.isEmpty() && !result.shardEnd()) {
                reader.readAhead();
            }
            if (!records.isEmpty() && !awaitResumed()) {
                continue; // Paused until a stop or a lost lease: the batch read ahead is dropped, not delivered.
            }
            if (!records.isEmpty()) {
                Outcome outcome = deliver(processor, checkpointer, records);
                if (outcome == Outcome.LOST) {
                    return ShutdownReason.ZOMBIE;
                }
                if (outcome == Outcome.STOPPING) {
                    return isHeld() ? ShutdownReason.REQUESTED : ShutdownReason.ZOMBIE;
                }
            }
            if (result.shardEnd()) {
                if (!isHeld()) {
                    return ShutdownReason.ZOMBIE;
                }
                context.syncer().createChildLeases(stream, shardId, result.childShards());
                return ShutdownReason.TERMINATE;
            }
        }
    }

    /**
     * Holds a batch that was read while (or just before) the stream was paused until it is resumed, so a pause stops
     * delivery at once without dropping what was already read. Returns false when the consumer must stop instead.
     */
    private boolean awaitResumed() {
        while (context.paused().test(stream.streamName())) {
            if (shutdownRequested || !isHeld()) {
                return false;
            }
            pause(Duration.ofMillis(100));
        }
        return true;
    }

    /** Drops the records the checkpoint covers (an AT_SEQUENCE_NUMBER restart re-reads the checkpointed record). */
    private static List<KinesisRecord> after(List<KinesisRecord> records, ExtendedSequenceNumber checkpoint) {
        return records.stream()
                .filter(record -> ExtendedSequenceNumber.of(record.sequenceNumber(), record.subSequenceNumber())
                        .compareTo(checkpoint) > 0)
                .toList();
    }

    private Outcome deliver(RecordProcessor processor, ShardCheckpointer checkpointer, List<KinesisRecord> records) {
        checkpointer.delivered(records);
        List<KinesisRecord> batch = Collections.unmodifiableList(records);
        int attempt = 0;
        while (true) {
            if (!isHeld()) {
                return Outcome.LOST;
            }
            long start = System.nanoTime();
            try {
                processor.processRecords(batch, checkpointer);
                context.metrics().batchProcessed(stream, shardId, batch.size(), bytes(batch),
                        Duration.ofNanos(System.nanoTime() - start));
                return Outcome.DELIVERED;
            }
            catch (RuntimeException | LinkageError | AssertionError ex) {
                context.metrics().processingFailed(stream, shardId);
                if (!isHeld()) {
                    return Outcome.LOST;
                }
                if (context.skipFailedBatches()) {
                    logger.error("Processor of shard {} failed on a batch of {} records ({}..{}); skipping it as "
                            + "configured", shardId, batch.size(), batch.get(0).sequenceNumber(),
                            batch.get(batch.size() - 1).sequenceNumber(), ex);
                    return Outcome.DELIVERED;
                }
                Duration delay = context.retryBackoff().delay(attempt++);
                logger.warn("Processor of shard {} failed on a batch of {} records (attempt {}); delivering it again "
                        + "in {} ms", shardId, batch.size(), attempt, delay.toMillis(), ex);
                pause(delay);
                if (shutdownRequested) {
                    return Outcome.STOPPING;
                }
            }
        }
    }

    /** Waits until every parent lease that exists is finished; returns a reason to stop instead, else null. */
    private @Nullable ShutdownReason awaitParents() {
        for (String parentShardId : tenure.lease().parentShardIds()) {
            while (true) {
                if (!isHeld()) {
                    return ShutdownReason.ZOMBIE;
                }
                if (shutdownRequested) {
                    return ShutdownReason.REQUESTED;
                }
                Lease parent;
                try {
                    parent = context.coordinator().table().getLease(stream.leaseKey(parentShardId)).orElse(null);
                }
                catch (RuntimeException ex) {
                    logger.warn("Could not read parent lease {} of {}: {}", parentShardId, shardId, ex.toString());
                    pause(context.parentPollInterval());
                    continue;
                }
                if (parent == null || parent.isFinished()) {
                    break;
                }
                pause(context.parentPollInterval());
            }
        }
        return null;
    }

    private boolean isHeld() {
        return context.coordinator().isHeld(leaseKey, tenure.token());
    }

    private void pause(Duration duration) {
        synchronized (wakeUp) {
            if (shutdownRequested) {
                return;
            }
            try {
                wakeUp.wait(Math.max(1, duration.toMillis()));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                shutdownRequested = true;
            }
        }
    }

    private static long bytes(List<KinesisRecord> batch) {
        long total = 0;
        for (KinesisRecord record : batch) {
            total += record.dataLength();
        }
        return total;
    }
}
