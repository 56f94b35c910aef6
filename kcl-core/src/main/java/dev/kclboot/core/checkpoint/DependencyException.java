package dev.kclboot.core.checkpoint;

/**
 * The checkpoint write failed for a reason other than throttling or a lost lease (DynamoDB unreachable, access
 * denied, ...); retrying later may succeed.
 */
public class DependencyException extends CheckpointException {

    public DependencyException(String message, Throwable cause) {
        super(message, cause);
    }
}
