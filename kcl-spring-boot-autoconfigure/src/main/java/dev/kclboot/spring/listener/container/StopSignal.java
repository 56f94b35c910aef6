package dev.kclboot.spring.listener.container;

import java.time.Duration;

/**
 * Lets a container cut short the backoff waits of its shard processors when it stops, and bounds how long a stop
 * waits for listener calls still running (the drain time): once it has passed, the shard processors hand their
 * batches back to the engine so that it can checkpoint what is done and release the leases in time.
 */
final class StopSignal {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Object lock = new Object();

    private boolean stopped;

    /** {@link System#nanoTime()} after which running listener calls are no longer waited for. */
    private volatile long drainDeadlineNanos = NO_DEADLINE;

    void reset() {
        synchronized (lock) {
            stopped = false;
            drainDeadlineNanos = NO_DEADLINE;
        }
    }

    void signal() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    /** Signals a stop that waits at most {@code drainTime} for listener calls in flight. */
    void signal(Duration drainTime) {
        synchronized (lock) {
            long deadline = System.nanoTime() + drainTime.toNanos();
            // A second stop never extends the time the first one allowed.
            if (drainDeadlineNanos == NO_DEADLINE || deadline - drainDeadlineNanos < 0) {
                drainDeadlineNanos = deadline;
            }
            stopped = true;
            lock.notifyAll();
        }
    }

    boolean isSet() {
        synchronized (lock) {
            return stopped;
        }
    }

    /** Whether a stop with a drain time began and that time has passed. */
    boolean drainExpired() {
        long deadline = drainDeadlineNanos;
        return deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0;
    }

    /**
     * Waits for the given time unless a stop is signalled or the thread is interrupted.
     * @return true when the full time passed without a stop
     */
    boolean await(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (!stopped) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000L;
                if (remaining <= 0) {
                    return true;
                }
                try {
                    lock.wait(remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }
    }
}
