package dev.kclboot.core.consumer;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Runs one consumer's step on a shared executor, never twice at once: {@link #wake()} asks for a step; wakes that
 * arrive while a step runs make it run once more afterwards. A consumer that waits (for a read, a timer, a resume)
 * holds no thread.
 */
final class StepRunner {

    private final Executor executor;

    private final Runnable step;

    private final AtomicInteger requests = new AtomicInteger();

    private volatile @Nullable Thread running;

    /**
     * @param step must not throw, and must tolerate being run when there is nothing to do
     */
    StepRunner(Executor executor, Runnable step) {
        this.executor = executor;
        this.step = step;
    }

    void wake() {
        if (requests.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            }
            catch (RejectedExecutionException ex) {
                // The worker is stopping and its executor refuses work: nothing will run this consumer again.
                requests.set(0);
            }
        }
    }

    private void drain() {
        running = Thread.currentThread();
        try {
            int seen;
            do {
                seen = requests.get();
                step.run();
            }
            while (!requests.compareAndSet(seen, 0));
        }
        finally {
            running = null;
        }
    }

    /** Interrupts the step that is running, if any (a processor that did not stop in time). */
    void interrupt() {
        Thread thread = running;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
