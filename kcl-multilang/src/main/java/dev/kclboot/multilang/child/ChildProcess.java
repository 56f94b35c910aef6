package dev.kclboot.multilang.child;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.kclboot.multilang.protocol.MessageWriter;
import org.jspecify.annotations.Nullable;

/**
 * One running record processor: the process, its stdin as a {@link MessageWriter}, its stdout as a queue of lines
 * read by a thread of its own, and its stderr forwarded to the host's log by another. Used by the processor calls of
 * one shard, which never run at once.
 */
public final class ChildProcess {

    /** The longest stdout line kept; a records batch goes the other way, so protocol lines are small. */
    private static final int MAX_STDOUT_LINE_BYTES = 1024 * 1024;

    /** Lines read ahead of the conversation; a full queue makes the child wait on its stdout (backpressure). */
    private static final int STDOUT_QUEUE_LINES = 10_000;

    /** Queued after the last line; a distinct instance compared by identity, so no line of the child can equal it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END_OF_STREAM = new String("<end of stdout>");

    private final Process process;

    private final String shardId;

    private final ExecutableCommand command;

    private final Instant startedAt = Instant.now();

    private final MessageWriter writer;

    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>(STDOUT_QUEUE_LINES);

    private final Thread stdoutReader;

    private final Thread stderrReader;

    private final ScheduledExecutorService killTimer;

    private volatile boolean endOfStdout;

    private volatile boolean timedOut;

    ChildProcess(Process process, String shardId, ExecutableCommand command, ScheduledExecutorService killTimer) {
        this.process = process;
        this.shardId = shardId;
        this.command = command;
        this.killTimer = killTimer;
        this.writer = new MessageWriter(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        this.stdoutReader = new Thread(this::readStdout, "kcl-child-" + shardId + "-stdout");
        this.stderrReader = new Thread(new StderrForwarder(process.getErrorStream(), shardId, process.pid()),
                "kcl-child-" + shardId + "-stderr");
        stdoutReader.setDaemon(true);
        stderrReader.setDaemon(true);
        stdoutReader.start();
        stderrReader.start();
    }

    public long pid() {
        return process.pid();
    }

    public String shardId() {
        return shardId;
    }

    public ExecutableCommand command() {
        return command;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the last write or wait ended because the child took longer than its timeout. */
    public boolean timedOut() {
        return timedOut;
    }

    /**
     * Writes one message; when a timeout is given and the child does not take the message in time (its stdin pipe
     * stays full), the child is killed so the write fails instead of blocking the shard for ever.
     * @throws ChildFailedException when the pipe is broken (the child exited or was killed)
     */
    public void send(Consumer<MessageWriter> message, @Nullable Duration timeout) {
        ScheduledFuture<?> kill = (timeout == null) ? null : killTimer.schedule(() -> {
            timedOut = true;
            process.destroyForcibly();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            message.accept(writer);
        }
        catch (UncheckedIOException ex) {
            if (timedOut) {
                throw new ChildFailedException(ChildFailedException.Reason.TIMED_OUT, "The record processor of "
                        + shardId + " did not read its input within " + timeout + " (timeoutInSeconds); killed it");
            }
            throw new ChildFailedException(ChildFailedException.Reason.IO_ERROR, "Could not write to the record "
                    + "processor of " + shardId + exitDescription() + ": " + ex.getCause().getMessage(), ex);
        }
        finally {
            if (kill != null) {
                kill.cancel(false);
            }
        }
    }

    /**
     * The next stdout line, waiting until the deadline.
     * @param timeoutNanos how long to wait, or a negative value to wait without limit
     * @return the line, or null when the time is up
     * @throws ChildFailedException with {@link ChildFailedException.Reason#EXITED} once stdout has ended
     */
    public @Nullable String nextLine(long timeoutNanos) {
        if (endOfStdout) {
            throw exited();
        }
        String line;
        try {
            line = timeoutNanos < 0 ? stdout.take() : stdout.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ChildFailedException(ChildFailedException.Reason.IO_ERROR,
                    "Interrupted while waiting for the record processor of " + shardId);
        }
        if (line == END_OF_STREAM) {
            endOfStdout = true;
            throw exited();
        }
        return line;
    }

    /** Marks the child as having taken too long and kills it. */
    public void killForTimeout() {
        timedOut = true;
        kill();
    }

    /** Ends the child at once (SIGKILL): used when it failed or would not stop. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Closes stdin, which tells kclpy and aws-kcl to exit, and waits for the exit; a child still running after the
     * wait gets SIGTERM, then SIGKILL a second later.
     * @return the exit code
     */
    public int endInputAndAwaitExit(Duration wait) {
        try {
            process.getOutputStream().close();
        }
        catch (IOException ex) {
            // Already closed or broken: the child is exiting anyway.
        }
        try {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            stdoutReader.join(1000);
            stderrReader.join(1000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Waits briefly for a child that was killed or has closed its stdout, so its exit code and last stderr lines are logged. */
    public void awaitGone() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            stderrReader.join(1000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private ChildFailedException exited() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return new ChildFailedException(ChildFailedException.Reason.EXITED,
                "The record processor of " + shardId + " closed its stdout" + exitDescription());
    }

    private String exitDescription() {
        return process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
    }

    private void readStdout() {
        BoundedLineReader reader = new BoundedLineReader(process.getInputStream(), MAX_STDOUT_LINE_BYTES);
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                stdout.put(line);
            }
        }
        catch (IOException ex) {
            // The pipe closes when the child is killed: the end of its output.
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            // The marker must get in even when the queue is full of unread lines: make room.
            while (!stdout.offer(END_OF_STREAM)) {
                stdout.poll();
            }
        }
    }

    @Override
    public String toString() {
        return "child " + pid() + " of " + shardId + " (" + command + ")";
    }
}
