package dev.kclboot.core.checkpoint;

/**
 * A checkpoint could not be written. Unchecked, so processors written as lambdas stay short; the subclasses say why.
 */
public abstract class CheckpointException extends RuntimeException {

    protected CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    protected CheckpointException(String message) {
        super(message);
    }
}
