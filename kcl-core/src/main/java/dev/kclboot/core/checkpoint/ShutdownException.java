package dev.kclboot.core.checkpoint;

/**
 * The lease of the shard is no longer held by this worker (lost, stolen, released or expired): the checkpoint was
 * refused and the processor is being (or has been) shut down.
 */
public class ShutdownException extends CheckpointException {

    public ShutdownException(String message) {
        super(message);
    }
}
