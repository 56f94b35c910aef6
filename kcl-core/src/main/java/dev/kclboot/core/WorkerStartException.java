package dev.kclboot.core;

/**
 * A {@link Worker} could not start: a stream does not exist, or the lease table cannot be created or read. The
 * message names the stream and region, or the table and the DynamoDB action.
 */
public class WorkerStartException extends RuntimeException {

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public WorkerStartException(String message) {
        super(message);
    }
}
