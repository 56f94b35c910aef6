package dev.kclboot.multilang.child;

/**
 * The record processor could not be started (not found, not executable, the OS refused). The message says what to
 * fix.
 */
public class ChildStartException extends RuntimeException {

    public ChildStartException(String message) {
        super(message);
    }

    public ChildStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
