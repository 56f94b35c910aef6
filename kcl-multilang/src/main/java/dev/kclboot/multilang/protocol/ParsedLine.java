package dev.kclboot.multilang.protocol;

import org.jspecify.annotations.Nullable;

/**
 * One line of a child's stdout, classified: a protocol {@link ChildMessage}, a blank line (kclpy writes one before
 * each message), or output that is not part of the protocol (a stray {@code print}, an unknown action), which the host
 * logs and skips.
 * @param message the protocol message, or null
 * @param strayReason why the line is not a protocol message, or null for a message or a blank line
 */
public record ParsedLine(@Nullable ChildMessage message, @Nullable String strayReason) {

    static final ParsedLine BLANK = new ParsedLine(null, null);

    static ParsedLine message(ChildMessage message) {
        return new ParsedLine(message, null);
    }

    static ParsedLine stray(String reason) {
        return new ParsedLine(null, reason);
    }

    public boolean isBlank() {
        return message == null && strayReason == null;
    }

    public boolean isStray() {
        return strayReason != null;
    }
}
