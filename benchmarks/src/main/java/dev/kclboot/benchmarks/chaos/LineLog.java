package dev.kclboot.benchmarks.chaos;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An append-only log of one process: each line is {@code <type> <System.nanoTime()> <fields...>} and goes to the file
 * in a single unbuffered {@code write(2)} on a file opened with {@code O_APPEND}, so every line that was logged
 * survives a kill -9 of the process (no fsync: the page cache outlives the process) and lines never interleave.
 * <p>
 * The time is taken under the same lock as the write, so the order of lines in one file is their time order. On Linux
 * {@code nanoTime} is {@code CLOCK_MONOTONIC}, so times of different processes of one machine compare.
 */
public final class LineLog implements AutoCloseable {

    private final Path file;

    private final FileOutputStream out;

    public LineLog(Path file) {
        this.file = file;
        try {
            // FileOutputStream(append = true) opens with O_APPEND and has no buffer of its own.
            this.out = new FileOutputStream(file.toFile(), true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open " + file, ex);
        }
    }

    /**
     * Appends one line and returns its time stamp.
     * @param type the line type (one character, see {@link LogLine})
     * @param fields the fields after the time, none containing a space or a line break
     */
    public synchronized long append(char type, Object... fields) {
        long nanos = System.nanoTime();
        StringBuilder line = new StringBuilder(64).append(type).append(' ').append(nanos);
        for (Object field : fields) {
            String text = String.valueOf(field);
            if (text.isEmpty() || text.indexOf(' ') >= 0 || text.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("A log field must be one non-empty word, was '" + text + "'");
            }
            line.append(' ').append(text);
        }
        line.append('\n');
        try {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot append to " + file, ex);
        }
        return nanos;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        }
        catch (IOException ex) {
            // Nothing was buffered, so nothing is lost.
        }
    }
}
