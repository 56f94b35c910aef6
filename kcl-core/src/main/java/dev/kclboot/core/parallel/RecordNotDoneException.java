package dev.kclboot.core.parallel;

/**
 * Thrown by a {@link RecordHandler} that gives up on a record without failing the shard, because the shard's tenure
 * is ending (the application stops, the lease is being handed over): the record is not done and not retried, its key
 * stops (its later records are not handed to the handler in this tenure, so their order holds), the other keys go
 * on, and the checkpoint stays before it. The record comes again with the shard's next owner.
 */
public class RecordNotDoneException extends RuntimeException {

    public RecordNotDoneException(String message) {
        super(message);
    }
}
