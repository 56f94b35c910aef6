package dev.kclboot.core.consumer;

/**
 * Why a shard consumer failed, in words an operator can act on (the action and the resource that were refused, or
 * the processor's broken contract). The cause, if any, is the original exception.
 */
public class ShardConsumerException extends RuntimeException {

    public ShardConsumerException(String message, Throwable cause) {
        super(message, cause);
    }

    public ShardConsumerException(String message) {
        super(message);
    }
}
