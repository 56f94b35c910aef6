package dev.kclboot.spring.listener.recovery;

import dev.kclboot.spring.listener.KinesisRecordRecoverer;

/**
 * Wraps a {@link Throwable} a listener threw that is not an {@link Exception} (an {@link AssertionError}, say), so
 * that it can be retried and handed to a {@link KinesisRecordRecoverer} like any other failure.
 */
public class ListenerExecutionFailedException extends RuntimeException {

    public ListenerExecutionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
