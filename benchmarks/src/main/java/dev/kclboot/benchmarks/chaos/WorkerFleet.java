package dev.kclboot.benchmarks.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The chaos worker processes of one run, in numbered slots: starts them, kills (-9) and restarts them, stops them
 * gracefully, and acts as their supervisor: a process that exits without being told to is logged ({@code A EXITED})
 * and started again after a delay, as a process manager would. Every process ends with the fleet: {@link #close()}
 * kills what still runs, and a JVM shutdown hook does the same if the orchestrator is stopped early.
 * <p>
 * Worker ids are {@code w<slot>.<incarnation>}, so every JVM has its own id, log and lease owner name. Each action is
 * written to the orchestrator's log before and after it happens.
 */
final class WorkerFleet implements AutoCloseable {

    /** A graceful stop ends the JVM through its shutdown hooks: 143 (SIGTERM), or 0. */
    static boolean isGracefulExit(int code) {
        return code == 0 || code == 143;
    }

    private final Function<String, WorkerOptions> options;

    private final String classPath;

    private final List<String> jvmOptions;

    private final Path dir;

    private final LineLog actions;

    private final Duration restartDelay;

    private final @Nullable WorkerProcess[] slots;

    private final int[] incarnations;

    private final long[] exitedAt;

    private final List<String> problems = new ArrayList<>();

    private final Thread hook = new Thread(this::killAll, "chaos-fleet-shutdown");

    private boolean closed;

    /**
     * @param size the number of slots
     * @param options the options of a new worker process, from its id
     * @param classPath the class path of the worker JVMs
     * @param jvmOptions their JVM options
     * @param dir where their logs and console output go
     * @param actions the orchestrator's log
     * @param restartDelay how long after an unexpected exit a slot is started again
     */
    WorkerFleet(int size, Function<String, WorkerOptions> options, String classPath, List<String> jvmOptions, Path dir,
            LineLog actions, Duration restartDelay) {
        this.options = options;
        this.classPath = classPath;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.dir = dir;
        this.actions = actions;
        this.restartDelay = restartDelay;
        this.slots = new WorkerProcess[size];
        this.incarnations = new int[size];
        this.exitedAt = new long[size];
        Runtime.getRuntime().addShutdownHook(hook);
    }

    int size() {
        return slots.length;
    }

    synchronized void startAll() {
        for (int slot = 0; slot < slots.length; slot++) {
            start(slot);
        }
    }

    /** Starts a new incarnation in the slot (the slot must be empty or its process gone). */
    synchronized String start(int slot) {
        if (closed) {
            throw new IllegalStateException("The fleet is closed");
        }
        WorkerProcess current = slots[slot];
        if (current != null && current.isAlive()) {
            throw new IllegalStateException("Slot " + slot + " still runs " + current.workerId());
        }
        String workerId = "w" + (slot + 1) + "." + (++incarnations[slot]);
        WorkerOptions workerOptions = options.apply(workerId);
        WorkerProcess process = WorkerProcess.start(workerOptions, classPath, jvmOptions,
                dir.resolve(workerId + ".out"));
        slots[slot] = process;
        exitedAt[slot] = 0;
        actions.append('A', "START", workerId, process.pid());
        return workerId;
    }

    /** kill -9 of the slot's process; returns its id. */
    synchronized String kill(int slot) {
        WorkerProcess process = running(slot);
        actions.append('A', "KILL", process.workerId());
        int code = process.kill();
        actions.append('A', "KILLED", process.workerId(), code);
        return process.workerId();
    }

    /** Graceful stop (SIGTERM) of the slot's process, waiting for it; returns its id. */
    synchronized String stop(int slot, Duration timeout) {
        WorkerProcess process = running(slot);
        actions.append('A', "STOP", process.workerId());
        int code = process.stop(timeout);
        actions.append('A', "STOPPED", process.workerId(), code);
        if (!isGracefulExit(code)) {
            problems.add(process.workerId() + " did not stop gracefully within " + timeout + " (exit " + code + ")");
        }
        return process.workerId();
    }

    /** The slots whose process runs now. */
    synchronized List<Integer> runningSlots() {
        List<Integer> running = new ArrayList<>();
        for (int slot = 0; slot < slots.length; slot++) {
            WorkerProcess process = slots[slot];
            if (process != null && process.isAlive()) {
                running.add(slot);
            }
        }
        return running;
    }

    /**
     * Notices processes that exited by themselves (logged as {@code A EXITED worker code}) and starts their slots
     * again once the restart delay has passed. Called periodically.
     */
    synchronized void supervise() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        for (int slot = 0; slot < slots.length; slot++) {
            WorkerProcess process = slots[slot];
            if (process == null || process.isAlive() || process.exitExpected()) {
                continue;
            }
            if (exitedAt[slot] == 0) {
                exitedAt[slot] = now;
                actions.append('A', "EXITED", process.workerId(), process.exitValue());
            }
            else if (now - exitedAt[slot] >= restartDelay.toNanos()) {
                start(slot);
            }
        }
    }

    /**
     * Stops every process gracefully at once (SIGTERM to all, then waits for each).
     */
    synchronized void stopAll(Duration timeout) {
        List<WorkerProcess> stopping = new ArrayList<>();
        for (WorkerProcess process : slots) {
            if (process != null && process.isAlive()) {
                actions.append('A', "STOP", process.workerId());
                stopping.add(process);
            }
        }
        // Signal all first, so that they release their leases at about the same time rather than handing them to
        // each other one by one.
        List<Thread> waits = new ArrayList<>();
        for (WorkerProcess process : stopping) {
            Thread wait = new Thread(() -> {
                int code = process.stop(timeout);
                actions.append('A', "STOPPED", process.workerId(), code);
                if (!isGracefulExit(code)) {
                    synchronized (problems) {
                        problems.add(process.workerId() + " did not stop gracefully within " + timeout + " (exit "
                                + code + ")");
                    }
                }
            }, "chaos-stop-" + process.workerId());
            wait.start();
            waits.add(wait);
        }
        for (Thread wait : waits) {
            try {
                wait.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What went wrong with the processes themselves (a graceful stop that had to be forced). */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Kills whatever still runs and waits until it is gone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WorkerProcess process : slots) {
            if (process != null && process.isAlive()) {
                actions.append('A', "KILL", process.workerId());
                process.kill();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException ex) {
            // Already shutting down: the hook runs anyway.
        }
    }

    private void killAll() {
        for (WorkerProcess process : slots) {
            if (process != null) {
                process.killNow();
            }
        }
    }

    private WorkerProcess running(int slot) {
        WorkerProcess process = slots[slot];
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Slot " + slot + " has no running worker");
        }
        return process;
    }
}
