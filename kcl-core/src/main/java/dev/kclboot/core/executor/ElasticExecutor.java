package dev.kclboot.core.executor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded thread pool for tasks that may block (processor calls, SDK calls): a task goes to the thread that became
 * idle last, a new thread is started only when none is idle (up to the maximum), tasks beyond the maximum wait in
 * FIFO order, and a thread idle for the keep-alive time ends. Handing work to the most recently idle thread lets the
 * others time out, so the pool shrinks back after a burst (a {@code ThreadPoolExecutor} with a shared queue rotates
 * work over all its threads and keeps them). A task that throws is logged; the thread goes on.
 */
public final class ElasticExecutor extends AbstractExecutorService {

    private static final Logger logger = LoggerFactory.getLogger(ElasticExecutor.class);

    /** A thread waiting for work. */
    private static final class Idle {

        final Condition wakeUp;

        Idle(Condition wakeUp) {
            this.wakeUp = wakeUp;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition terminated = lock.newCondition();

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    /** Most recently idle first. */
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();

    private final Set<Thread> threads = new HashSet<>();

    private final int maxThreads;

    private final long keepAliveNanos;

    private final ThreadFactory threadFactory;

    private int largest;

    private boolean shutdown;

    public ElasticExecutor(int maxThreads, Duration keepAlive, ThreadFactory threadFactory) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAlive.toNanos();
        this.threadFactory = threadFactory;
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("The executor is shut down");
            }
            tasks.addLast(task);
            Idle waiting = idle.pollFirst();
            if (waiting != null) {
                waiting.wakeUp.signal();
            }
            else if (threads.size() < maxThreads) {
                Thread thread = threadFactory.newThread(this::work);
                threads.add(thread);
                largest = Math.max(largest, threads.size());
                thread.start();
            }
        }
        finally {
            lock.unlock();
        }
    }

    private void work() {
        Idle me = new Idle(lock.newCondition());
        try {
            while (true) {
                Runnable task = next(me);
                if (task == null) {
                    return;
                }
                try {
                    task.run();
                }
                catch (Throwable ex) {
                    logger.error("A task of {} threw", Thread.currentThread().getName(), ex);
                }
            }
        }
        finally {
            lock.lock();
            try {
                idle.remove(me);
                threads.remove(Thread.currentThread());
                if (threads.isEmpty()) {
                    terminated.signalAll();
                }
            }
            finally {
                lock.unlock();
            }
        }
    }

    /** The next task, or null when this thread should end (idle for the keep-alive time, or shut down). */
    private Runnable next(Idle me) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + keepAliveNanos;
            while (true) {
                Runnable task = tasks.pollFirst();
                if (task != null) {
                    return task;
                }
                long left = deadline - System.nanoTime();
                if (shutdown || left <= 0) {
                    return null;
                }
                idle.addFirst(me);
                try {
                    me.wakeUp.awaitNanos(left);
                }
                catch (InterruptedException ex) {
                    // Only shutdownNow interrupts an idle thread; the loop sees the shutdown.
                }
                finally {
                    idle.remove(me);
                }
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** The threads alive now. */
    public int threadCount() {
        lock.lock();
        try {
            return threads.size();
        }
        finally {
            lock.unlock();
        }
    }

    /** The most threads alive at once so far. */
    public int largestThreadCount() {
        lock.lock();
        try {
            return largest;
        }
        finally {
            lock.unlock();
        }
    }

    /** Tasks waiting for a thread. */
    public int queuedTasks() {
        lock.lock();
        try {
            return tasks.size();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            idle.forEach(waiting -> waiting.wakeUp.signal());
            if (threads.isEmpty()) {
                terminated.signalAll();
            }
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown();
            List<Runnable> pending = new ArrayList<>(tasks);
            tasks.clear();
            threads.forEach(Thread::interrupt);
            return pending;
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && threads.isEmpty();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && threads.isEmpty())) {
                if (left <= 0) {
                    return false;
                }
                left = terminated.awaitNanos(left);
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }
}
