package dev.kclboot.core.parallel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of one shard by key: the tasks of a key one at a time, in the order they were submitted; tasks of
 * different keys at once, at most {@code concurrency} of them, on the given executor. At most {@code window} tasks are
 * held (running or waiting; a task handling several records counts by its weight): {@link #submit} blocks while the
 * window is full, so a key that is blocked (a record that keeps failing) cannot make memory grow; the other keys go
 * on. Thread-safe.
 */
public final class KeyOrderedDispatcher {

    private static final Logger logger = LoggerFactory.getLogger(KeyOrderedDispatcher.class);

    private final Executor executor;

    private final int concurrency;

    private final int window;

    private final Object lock = new Object();

    /** A task and how much of the window it takes (records, for a task that handles several). */
    private record Task(Runnable runnable, int weight) {
    }

    /** The tasks waiting per key; a key is present while it has work (running or waiting). */
    private final Map<String, ArrayDeque<Task>> byKey = new HashMap<>();

    /** Keys with waiting work whose previous task is done, in the order they became ready. */
    private final ArrayDeque<String> ready = new ArrayDeque<>();

    private int running;

    private int held;

    private boolean closed;

    /**
     * @param concurrency the most tasks running at once
     * @param window the most tasks held (running or waiting) before {@link #submit} blocks
     */
    public KeyOrderedDispatcher(Executor executor, int concurrency, int window) {
        if (concurrency < 1 || window < 1) {
            throw new IllegalArgumentException("concurrency and window must be at least 1");
        }
        this.executor = executor;
        this.concurrency = concurrency;
        this.window = window;
    }

    /**
     * Queues a task behind the key's earlier ones; blocks while the window is full.
     * @return false when the dispatcher was closed (or the thread interrupted) before the task could be queued
     */
    public boolean submit(String key, Runnable task) {
        return offer(key, task, null);
    }

    /**
     * Queues a task behind the key's earlier ones, waiting at most the timeout for room in the window, so a caller
     * can look at other conditions (a lost lease, a stop) while a blocked key keeps the window full.
     * @param timeout the longest wait for room, or null to wait until there is room or the dispatcher is closed
     * @return false when the wait timed out, the dispatcher was closed or the thread was interrupted (its interrupt
     * status is then set): the task was not queued
     */
    public boolean offer(String key, Runnable task, @Nullable Duration timeout) {
        return offer(key, task, 1, timeout);
    }

    /**
     * Queues a task that takes {@code weight} of the window (a task handling that many records): it waits until the
     * window has room for all of it, or is empty (so a task larger than the window still runs, alone).
     * @see #offer(String, Runnable, Duration)
     */
    public boolean offer(String key, Runnable task, int weight, @Nullable Duration timeout) {
        return offerAll(List.of(new KeyedTask(key, task, weight)), timeout);
    }

    /**
     * Queues several tasks in one admission: it waits until the window has room for all of them together, or is
     * empty, then queues each behind its key's earlier ones. For the key groups of one batch: they are admitted
     * together, so they run at once even when the batch is larger than the window (the window then holds that one
     * batch), instead of one group at a time.
     * @see #offer(String, Runnable, Duration)
     */
    public boolean offerAll(List<KeyedTask> tasks, @Nullable Duration timeout) {
        int weight = 0;
        for (KeyedTask task : tasks) {
            weight += task.weight();
        }
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (held > 0 && held + weight > window && !closed) {
                try {
                    if (timeout == null) {
                        lock.wait();
                    }
                    else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        lock.wait(Math.max(1, left / 1_000_000));
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (closed) {
                return false;
            }
            for (KeyedTask task : tasks) {
                held += task.weight();
                ArrayDeque<Task> queued = byKey.get(task.key());
                if (queued == null) {
                    queued = new ArrayDeque<>();
                    byKey.put(task.key(), queued);
                    ready.addLast(task.key());
                }
                queued.addLast(new Task(task.task(), task.weight()));
            }
            startRunners();
        }
        return true;
    }

    /**
     * A task to queue under a key, taking {@code weight} of the window.
     * @param key the tasks of one key run one at a time, in order
     * @param task what to run
     * @param weight how much of the window it takes (the records it handles), at least 1
     */
    public record KeyedTask(String key, Runnable task, int weight) {

        public KeyedTask {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1, was " + weight);
            }
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Starts runners while keys are ready and the concurrency allows. Under the lock. */
    private void startRunners() {
        while (running < concurrency && !ready.isEmpty()) {
            String key = ready.pollFirst();
            Runnable task = byKey.get(key).peekFirst().runnable();
            running++;
            try {
                executor.execute(() -> run(key, task));
            }
            catch (RejectedExecutionException ex) {
                running--;
                ready.addFirst(key);
                return;
            }
        }
    }

    private void run(String key, Runnable task) {
        try {
            task.run();
        }
        catch (RuntimeException | Error ex) {
            logger.error("A task of key {} threw; the key goes on with its next task", key, ex);
        }
        finally {
            synchronized (lock) {
                running--;
                ArrayDeque<Task> tasks = byKey.get(key);
                held -= tasks.pollFirst().weight();
                if (tasks.isEmpty()) {
                    byKey.remove(key);
                }
                else {
                    ready.addLast(key);
                }
                if (!closed) {
                    startRunners();
                }
                lock.notifyAll();
            }
        }
    }

    /** Tasks running or waiting, each counted by its weight (records). */
    public int held() {
        synchronized (lock) {
            return held;
        }
    }

    /** Keys with a task waiting: behind a running (or blocked) task of theirs, or for a free slot. */
    public int keysWaiting() {
        synchronized (lock) {
            // A ready key waits for a free slot; any other key waits when tasks queue behind its running head.
            Set<String> readyKeys = new HashSet<>(ready);
            return (int) byKey.entrySet().stream()
                    .filter(entry -> readyKeys.contains(entry.getKey()) || entry.getValue().size() > 1).count();
        }
    }

    /**
     * Waits until no task is held, at most the timeout.
     * @return whether everything finished
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (held > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Stops taking tasks and drops the waiting ones (they are not done: their records come again from the checkpoint);
     * running tasks finish.
     * @return how many waiting tasks were dropped, counted by their weight
     */
    public int close() {
        synchronized (lock) {
            closed = true;
            int dropped = 0;
            for (Map.Entry<String, ArrayDeque<Task>> entry : byKey.entrySet()) {
                ArrayDeque<Task> tasks = entry.getValue();
                // The head of a key in `ready` has not started; the head of any other key is running.
                boolean headRunning = !ready.contains(entry.getKey());
                Task head = headRunning ? tasks.pollFirst() : null;
                for (Task waiting : tasks) {
                    dropped += waiting.weight();
                }
                tasks.clear();
                if (head != null) {
                    tasks.addFirst(head);
                }
            }
            ready.clear();
            byKey.values().removeIf(ArrayDeque::isEmpty);
            held -= dropped;
            lock.notifyAll();
            return dropped;
        }
    }
}
