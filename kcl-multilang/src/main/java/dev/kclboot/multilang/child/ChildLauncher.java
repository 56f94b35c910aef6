package dev.kclboot.multilang.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts record processors as the KCL daemon does: the {@link ExecutableCommand} as it is, the host's environment and
 * working directory, stderr kept apart from stdout. One difference: where {@code setsid} exists (Linux) the child
 * runs in a session of its own, so a Ctrl-C in the host's terminal reaches only the host, which then asks every child
 * to shut down (instead of every child dying with a KeyboardInterrupt, kclpy issue #74). setsid execs the program
 * in place, so the pid is the child's.
 */
public final class ChildLauncher {

    private static final Logger logger = LoggerFactory.getLogger(ChildLauncher.class);

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final ExecutableCommand command;

    private final @Nullable Path setsid;

    private final ScheduledExecutorService killTimer;

    /**
     * @param command the record processor command
     * @throws ChildStartException when the program cannot be found or is not executable
     */
    public ChildLauncher(ExecutableCommand command) {
        this(command, new ProgramResolver());
    }

    ChildLauncher(ExecutableCommand command, ProgramResolver resolver) {
        this.command = command;
        Path program = resolver.resolve(command);
        this.setsid = SETSID.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (setsid == null) {
            logger.info("No setsid on this system: children share the host's process group, so a Ctrl-C in its "
                    + "terminal also reaches them");
        }
        logger.info("Record processor: {} (program {})", command, program);
        this.killTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kcl-child-timeouts");
            thread.setDaemon(true);
            return thread;
        });
    }

    public ExecutableCommand command() {
        return command;
    }

    /**
     * Starts a child for a shard.
     * @throws ChildStartException when the OS refuses to start it
     */
    public ChildProcess launch(String shardId) {
        List<String> argv = new ArrayList<>();
        if (setsid != null) {
            argv.add(setsid.toString());
        }
        argv.addAll(command.argv());
        try {
            Process process = new ProcessBuilder(argv).start();
            return new ChildProcess(process, shardId, command, killTimer);
        }
        catch (IOException ex) {
            throw new ChildStartException("Could not start the record processor for " + shardId + " ("
                    + command + "): " + ex.getMessage(), ex);
        }
    }

    /** Stops the timer thread; children already started are not affected. */
    public void close() {
        killTimer.shutdownNow();
    }
}
