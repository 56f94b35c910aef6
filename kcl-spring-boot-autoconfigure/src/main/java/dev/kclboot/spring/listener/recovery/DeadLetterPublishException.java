package dev.kclboot.spring.listener.recovery;

/**
 * A record could not be written to the dead-letter stream: it is not recovered, so its source checkpoint stays before
 * it and the recoverer is called again.
 */
public class DeadLetterPublishException extends RuntimeException {

    public DeadLetterPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
