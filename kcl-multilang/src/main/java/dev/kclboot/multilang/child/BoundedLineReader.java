package dev.kclboot.multilang.child;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads UTF-8 lines ({@code \n} or {@code \r\n}) from a child's pipe, keeping at most a fixed number of bytes of each:
 * a child that writes megabytes without a newline costs the host no more than that. Malformed UTF-8 becomes
 * replacement characters.
 */
final class BoundedLineReader {

    private final InputStream in;

    private final int maxLineBytes;

    private final byte[] buffer = new byte[8192];

    private int position;

    private int limit;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator (cut at the byte limit), or null at end of stream. */
    @Nullable String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? decode(line) : null;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int room = maxLineBytes - line.size();
            line.write(buffer, start, Math.max(0, Math.min(room, position - start)));
            if (position < limit) {
                position++; // the '\n'
                return decode(line);
            }
        }
    }

    private static String decode(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
