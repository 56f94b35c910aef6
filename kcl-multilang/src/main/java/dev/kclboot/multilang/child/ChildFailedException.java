package dev.kclboot.multilang.child;

/**
 * A child can no longer be talked to: it exited, did not answer within {@code timeoutInSeconds}, broke the protocol,
 * or its pipe failed. Only its own shard is affected.
 */
public class ChildFailedException extends RuntimeException {

    /** What went wrong, also the {@code reason} tag of the failure meter. */
    public enum Reason {
        START_FAILED, EXITED, TIMED_OUT, PROTOCOL_VIOLATION, IO_ERROR;

        /** The lower-case tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public ChildFailedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ChildFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
