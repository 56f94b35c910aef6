package dev.kclboot.multilang.processor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a shard waits before a new child is started after its last child failed: 1 s after one failure, doubling
 * with each failure in a row up to 30 s, counted from the failure. A child that finishes a batch resets it. A host
 * that is stopping ends the waits at once.
 */
final class ShardRestartBackoff {

    private final Duration initial;

    private final Duration max;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private final Object wakeUp = new Object();

    private volatile boolean stopping;

    ShardRestartBackoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    void failed(String shardId) {
        failures.merge(shardId, new Failures(1, System.nanoTime()),
                (previous, next) -> new Failures(previous.count + 1, next.lastNanos));
    }

    void succeeded(String shardId) {
        failures.remove(shardId);
    }

    /** The failures in a row of a shard's children. */
    int failuresInARow(String shardId) {
        Failures current = failures.get(shardId);
        return current == null ? 0 : current.count;
    }

    /** The delay after the given number of failures in a row. */
    Duration delayAfter(int failuresInARow) {
        if (failuresInARow <= 0) {
            return Duration.ZERO;
        }
        Duration delay = initial.multipliedBy(1L << Math.min(20, failuresInARow - 1));
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * Waits until the shard may start a child.
     * @return false when the host is stopping (no child should be started)
     */
    boolean awaitTurn(String shardId) {
        Failures current = failures.get(shardId);
        if (current != null) {
            long until = current.lastNanos + delayAfter(current.count).toNanos();
            synchronized (wakeUp) {
                long left;
                while (!stopping && (left = until - System.nanoTime()) > 0) {
                    try {
                        wakeUp.wait(Math.max(1, left / 1_000_000));
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
        return !stopping;
    }

    /** Ends every wait; no further child is started. */
    void stop() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    boolean isStopping() {
        return stopping;
    }

    private record Failures(int count, long lastNanos) {
    }
}
