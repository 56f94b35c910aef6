package dev.kclboot.multilang.processor;

/**
 * Thrown to the engine from {@code processRecords} after a child failed and its lease was given up: the engine sees
 * the lease lost and ends the shard's tenure; the shard restarts from its checkpoint with a new child.
 */
public class ShardAbandonedException extends RuntimeException {

    public ShardAbandonedException(String message, Throwable cause) {
        super(message, cause);
    }
}
