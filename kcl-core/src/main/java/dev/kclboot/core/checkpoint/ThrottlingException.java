package dev.kclboot.core.checkpoint;

/**
 * DynamoDB throttled the checkpoint write; retrying later may succeed.
 */
public class ThrottlingException extends CheckpointException {

    public ThrottlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
