package dev.kclboot.spring.listener.delivery;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.listener.metrics.KinesisListenerMetrics;

/**
 * The listener container as the delivery loop of its shards sees it: its settings, listener and meters, whether it
 * still runs or is stopping, its backoff waits and delivery threads, and the stop it makes after a record failed for
 * good. An interface so that the delivery loop does not depend on the container package (the container creates the
 * shard processors, so the dependency runs from the container to the delivery loop only).
 */
public interface DeliveryContainer {

    KinesisListenerSettings getSettings();

    KinesisMessageListener getListener();

    KinesisListenerMetrics getMetrics();

    /** Whether shard processors accept records (false once the container stopped). */
    boolean isActive();

    /** Whether a stop began: no more retries or backoff waits. */
    boolean isStopping();

    /** Waits between attempts; false when the container began to stop meanwhile. */
    boolean awaitBackOff(long millis);

    /** Whether a stop's drain time has passed: listener calls still running are no longer waited for. */
    boolean isDrainExpired();

    /** Runs a delivery on one of the container's delivery threads. */
    <T> Future<T> submitDelivery(Callable<T> delivery);

    /** A shard processor began: its state is shown by health checks. */
    void shardStarted(ShardStatusSource state);

    void shardStopped(ShardStatusSource state);

    /**
     * Stops the container from another thread (the caller is a shard processor the stop waits for).
     * @param reason what failed, shown by the health indicator until the container is started again
     */
    void stopAfterFailure(String reason);
}
