package dev.kclboot.benchmarks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One chaos worker JVM ({@link ChaosWorker}) started by the orchestrator with the orchestrator's own class path; its
 * stdout and stderr go to {@code <workerId>.out} next to its log.
 */
final class WorkerProcess {

    private final String workerId;

    private final Process process;

    private volatile boolean exitExpected;

    private WorkerProcess(String workerId, Process process) {
        this.workerId = workerId;
        this.process = process;
    }

    /** Starts {@code java <jvmOptions> -cp <classPath> ChaosWorker <options>}. */
    static WorkerProcess start(WorkerOptions options, String classPath, List<String> jvmOptions, Path output) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(ChaosWorker.class.getName());
        command.addAll(options.toArgs());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        try {
            return new WorkerProcess(options.workerId(), builder.start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start worker " + options.workerId(), ex);
        }
    }

    String workerId() {
        return workerId;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the orchestrator ended (or is ending) this process, so its exit is no surprise. */
    boolean exitExpected() {
        return exitExpected;
    }

    int exitValue() {
        return process.exitValue();
    }

    /** kill -9: no shutdown hook, no checkpoint, no lease released. Waits until the process is gone. */
    int kill() {
        exitExpected = true;
        process.destroyForcibly();
        return await(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM: the worker's shutdown hook stops it gracefully. Waits up to {@code timeout}, then kills it.
     * @return the exit code, or -1 when it had to be killed
     */
    int stop(Duration timeout) {
        exitExpected = true;
        process.destroy();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        kill();
        return -1;
    }

    /** Kills the process without waiting (for shutdown hooks). */
    void killNow() {
        exitExpected = true;
        process.destroyForcibly();
    }

    private int await(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Worker " + workerId + " (pid " + process.pid() + ") did not exit");
    }
}
