package dev.kclboot.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.kclboot.core.consumer.ConsumerContext;
import dev.kclboot.core.consumer.ConsumerListener;
import dev.kclboot.core.consumer.ShardConsumer;
import dev.kclboot.core.lease.HeldLeaseView;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.ParentsFirst;
import dev.kclboot.core.metrics.EngineMetrics;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link ShardConsumer} per held lease that can be processed: starts consumers for new leases, wakes those
 * whose lease was lost, stops those of stopped streams, and records what their ends mean (failures and their
 * backoff, shard ends, deleted streams). A held lease whose parents are not finished, or that is in its failure
 * backoff, is released rather than waited on: no thread and no quota is spent on a shard that cannot proceed.
 */
final class ConsumerSupervisor implements ConsumerListener {

    private static final Logger logger = LoggerFactory.getLogger(ConsumerSupervisor.class);

    private final Map<String, ShardConsumer> consumers = new ConcurrentHashMap<>();

    private final LeaseCoordinator coordinator;

    private final Function<String, @Nullable StreamRef> streamOf;

    private final StreamStates states;

    private final ShardFailures failures;

    private final EngineMetrics metrics;

    private final Runnable takeSoon;

    private @Nullable ConsumerContext context;

    /** Set when the worker stops: leases taken from then on are released, not started. */
    private volatile boolean stopping;

    /**
     * @param streamOf the configured stream a lease key belongs to, or null
     * @param takeSoon asks the control loop for a taking round at once (the children of a shard that ended are free)
     */
    ConsumerSupervisor(LeaseCoordinator coordinator, Function<String, @Nullable StreamRef> streamOf,
            StreamStates states, ShardFailures failures, EngineMetrics metrics, Runnable takeSoon) {
        this.coordinator = coordinator;
        this.streamOf = streamOf;
        this.states = states;
        this.failures = failures;
        this.metrics = metrics;
        this.takeSoon = takeSoon;
    }

    /** Set once at start, when the executors exist. */
    void context(ConsumerContext context) {
        this.context = context;
    }

    /** Starts, wakes and stops consumers for the leases held now; parents are judged from the latest scan. */
    void reconcile(Map<String, Lease> scanByKey) {
        ConsumerContext current = context;
        if (current == null) {
            return;
        }
        consumers.values().removeIf(ShardConsumer::isFinished);
        for (HeldLeaseView held : coordinator.heldLeases()) {
            String key = held.lease().leaseKey();
            if (consumers.containsKey(key)) {
                continue; // Running, or an older tenure still stopping (the new one starts when it is gone).
            }
            StreamRef stream = streamOf.apply(key);
            if (stream == null || held.lease().isFinished() || !states.isLive(stream) || held.lease().isHandoffPending()) {
                coordinator.release(key, held.token());
                continue;
            }
            if (ParentsFirst.isWaiting(held.lease(), scanByKey)) {
                logger.info("Lease {} waits for its parents {}; released until they are finished", key,
                        held.lease().parentShardIds());
                coordinator.release(key, held.token());
                continue;
            }
            if (failures.inBackoff(key) || stopping) {
                coordinator.release(key, held.token());
                continue;
            }
            ShardConsumer consumer = new ShardConsumer(current, stream, held);
            consumers.put(key, consumer);
            consumer.start();
        }
        for (ShardConsumer consumer : consumers.values()) {
            if (!coordinator.isHeld(consumer.leaseKey(), consumer.tenure().token())) {
                consumer.leaseLost();
            }
            else if (states.isStopped(consumer.stream().streamName()) || coordinator.isHandingOver(consumer.leaseKey())) {
                // Graceful: the batch in flight finishes, shutdown(REQUESTED) may checkpoint, then the lease is released.
                consumer.requestShutdown();
            }
        }
    }

    @Nullable ShardConsumer consumer(String leaseKey) {
        return consumers.get(leaseKey);
    }

    /** Wakes the consumers of a stream (it was resumed). */
    void wake(String streamName) {
        consumers.values().stream().filter(consumer -> consumer.stream().streamName().equals(streamName))
                .forEach(ShardConsumer::wake);
    }

    void leaseLost(String leaseKey) {
        ShardConsumer consumer = consumers.get(leaseKey);
        if (consumer != null) {
            consumer.leaseLost();
        }
    }

    /** Another worker asked for the lease: the consumer finishes and releases it (completing the handoff). */
    void handoffRequested(String leaseKey) {
        ShardConsumer consumer = consumers.get(leaseKey);
        if (consumer != null) {
            consumer.requestShutdown();
        }
        else {
            coordinator.heldLease(leaseKey).ifPresent(held -> coordinator.release(leaseKey, held.token()));
        }
    }

    /** The worker is stopping: no consumer is started any more (a lease taken meanwhile is released). */
    void stopStarting() {
        stopping = true;
    }

    void requestShutdownAll() {
        consumers.values().forEach(ShardConsumer::requestShutdown);
    }

    /** Waits until every consumer finished; false at the deadline. */
    boolean awaitAll(long deadlineNanos) {
        while (consumers.values().stream().anyMatch(consumer -> !consumer.isFinished())) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Gives up on the consumers still running: their leases are forgotten (so their processors' checkpoints are
     * refused; peers take the leases after the failover time), and no processor call follows the one in progress.
     */
    List<String> abandonUnfinished() {
        List<ShardConsumer> unfinished = consumers.values().stream().filter(consumer -> !consumer.isFinished()).toList();
        for (ShardConsumer consumer : unfinished) {
            coordinator.forget(consumer.leaseKey(), consumer.tenure().token());
            consumer.abandon();
        }
        return unfinished.stream().map(ShardConsumer::leaseKey).toList();
    }

    @Override
    public void progressed(ShardConsumer consumer) {
        failures.progressed(consumer.leaseKey());
    }

    @Override
    public void failed(ShardConsumer consumer, Throwable cause) {
        metrics.consumerFailed(consumer.stream(), consumer.shardId());
        // The checkpoint at the failure: only a checkpoint written after it shows the shard progressing elsewhere.
        Duration backoff = failures.failed(consumer.leaseKey(), consumer.stream().streamName(), consumer.shardId(),
                cause, consumer.lastCheckpoint());
        logger.warn("Shard {} of stream {} released after a consumer failure; this worker takes it again in {} ms at "
                + "the earliest", consumer.shardId(), consumer.stream(), backoff.toMillis());
    }

    @Override
    public void finished(ShardConsumer consumer, ShutdownReason reason) {
        if (reason == ShutdownReason.TERMINATE) {
            failures.progressed(consumer.leaseKey());
            takeSoon.run();
        }
    }

    @Override
    public void streamDeleted(StreamRef stream) {
        if (states.markDeleted(stream.streamName())) {
            logger.error("Stream {} was deleted: its shards end with TERMINATE and no lease of it is taken", stream);
        }
    }
}
