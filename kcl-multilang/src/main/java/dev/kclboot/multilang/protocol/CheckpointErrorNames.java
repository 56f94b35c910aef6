package dev.kclboot.multilang.protocol;

import dev.kclboot.core.checkpoint.DependencyException;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.checkpoint.ThrottlingException;

/**
 * The {@code error} of a checkpoint reply: the simple class name of the exception, using the KCL's names where the
 * engine's exception stands for the KCL's, because children compare these strings (kclpy raises a
 * {@code CheckpointError} carrying them).
 */
public final class CheckpointErrorNames {

    /** A checkpoint asked for while the message being handled allows none (initialize, leaseLost). */
    public static final String INVALID_STATE = "InvalidStateException";

    /** The lease is no longer held. */
    public static final String SHUTDOWN = "ShutdownException";

    /** DynamoDB throttled the write. */
    public static final String THROTTLING = "ThrottlingException";

    /** Another DynamoDB failure: the KCL's name for it. */
    public static final String DEPENDENCY = "KinesisClientLibDependencyException";

    /** A position below the stored checkpoint, above the last record delivered, or not a sequence number. */
    public static final String ILLEGAL_ARGUMENT = "IllegalArgumentException";

    private CheckpointErrorNames() {
    }

    /** The name a child sees for the exception a checkpoint threw. */
    public static String of(Throwable failure) {
        if (failure instanceof ShutdownException) {
            return SHUTDOWN;
        }
        if (failure instanceof ThrottlingException) {
            return THROTTLING;
        }
        if (failure instanceof DependencyException) {
            return DEPENDENCY;
        }
        if (failure instanceof IllegalArgumentException) {
            return ILLEGAL_ARGUMENT;
        }
        return failure.getClass().getSimpleName();
    }
}
