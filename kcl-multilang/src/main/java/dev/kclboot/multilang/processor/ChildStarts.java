package dev.kclboot.multilang.processor;

/**
 * Whether the host still starts children: once it is stopping, a lease taken in the last moment gets no child (it
 * would only be killed again), and a child that ends then is not counted as a failure.
 */
final class ChildStarts {

    private volatile boolean stopped;

    /** No child is started from now on. */
    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }
}
