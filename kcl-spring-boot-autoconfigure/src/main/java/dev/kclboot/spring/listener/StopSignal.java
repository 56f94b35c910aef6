package dev.kclboot.spring.listener;

/**
 * Lets a container cut short the backoff waits of its shard processors when it stops.
 */
final class StopSignal {

    private final Object lock = new Object();

    private boolean stopped;

    void reset() {
        synchronized (lock) {
            stopped = false;
        }
    }

    void signal() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    boolean isSet() {
        synchronized (lock) {
            return stopped;
        }
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
