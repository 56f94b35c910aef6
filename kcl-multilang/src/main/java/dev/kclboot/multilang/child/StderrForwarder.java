package dev.kclboot.multilang.child;

import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each line a child writes to stderr into the host's log once, with the shard id and pid: WARN for what looks
 * like a problem (a Python traceback and its lines, a line naming an error, exception, warning or critical), INFO
 * otherwise. The KCL daemon logs every line at ERROR and echoes it to its own stderr as well, so logs show each
 * child line twice and always as an error.
 */
final class StderrForwarder implements Runnable {

    /** The logger of every child's stderr; give it its own level or appender in a logback configuration. */
    static final Logger LOG = LoggerFactory.getLogger("dev.kclboot.multilang.child");

    private final InputStream stderr;

    private final String shardId;

    private final long pid;

    private boolean inTraceback;

    StderrForwarder(InputStream stderr, String shardId, long pid) {
        this.stderr = stderr;
        this.shardId = shardId;
        this.pid = pid;
    }

    @Override
    public void run() {
        BoundedLineReader reader = new BoundedLineReader(stderr, 64 * 1024);
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                forward(line);
            }
        }
        catch (IOException ex) {
            // The pipe closes when the child is killed; nothing more to read.
        }
    }

    private void forward(String line) {
        if (line.isEmpty()) {
            return;
        }
        if (isProblem(line)) {
            LOG.warn("{} [pid {}] {}", shardId, pid, line);
        }
        else {
            LOG.info("{} [pid {}] {}", shardId, pid, line);
        }
    }

    /** Whether the line belongs to a traceback or names a problem; tracks the traceback's indented lines. */
    private boolean isProblem(String line) {
        if (line.startsWith("Traceback (most recent call last)")) {
            inTraceback = true;
            return true;
        }
        if (inTraceback) {
            // A traceback is indented frames, ended by the unindented "SomeError: message" line.
            if (!Character.isWhitespace(line.charAt(0))) {
                inTraceback = false;
            }
            return true;
        }
        return containsProblemWord(line);
    }

    private static boolean containsProblemWord(@Nullable String line) {
        if (line == null) {
            return false;
        }
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("error") || lower.contains("exception") || lower.contains("warning")
                || lower.contains("critical");
    }
}
