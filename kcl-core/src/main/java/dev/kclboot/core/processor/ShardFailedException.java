package dev.kclboot.core.processor;

/**
 * Thrown by a {@link RecordProcessor} that cannot go on with its shard (its backing resource died, its state is
 * broken): unlike any other exception from {@code processRecords}, which makes the engine deliver the same batch
 * again, this ends the processor's tenure as a consumer failure: {@code shutdown(ZOMBIE)} is called (checkpointing
 * refused), the lease is released, and this worker keeps off the shard for its failure backoff; the shard restarts
 * from its last checkpoint with a new processor, here or on another worker.
 */
public class ShardFailedException extends RuntimeException {

    public ShardFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public ShardFailedException(String message) {
        super(message);
    }
}
