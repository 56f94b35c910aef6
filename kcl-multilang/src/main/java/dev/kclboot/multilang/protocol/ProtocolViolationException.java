package dev.kclboot.multilang.protocol;

/**
 * A child broke the protocol in a way the conversation cannot recover from (a {@code status} for another action, a
 * {@code status} without {@code responseFor}). The child's shard is ended; the host goes on.
 */
public class ProtocolViolationException extends RuntimeException {

    public ProtocolViolationException(String message) {
        super(message);
    }
}
