package dev.kclboot.core.fanout;

/**
 * The stream consumer for enhanced fan-out could not be found, registered or used; the message names the stream,
 * the consumer and the Kinesis action that failed.
 */
public class ConsumerRegistrationException extends RuntimeException {

    private final String action;

    public ConsumerRegistrationException(String action, String message, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public ConsumerRegistrationException(String action, String message) {
        super(message);
        this.action = action;
    }

    /** The IAM action of the call that failed, e.g. {@code kinesis:RegisterStreamConsumer}. */
    public String action() {
        return action;
    }
}
