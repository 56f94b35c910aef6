package dev.kclboot.core.lease;

/**
 * A write to a held lease found it being handed to another worker ({@code leaseOwner} is the other worker,
 * {@code checkpointOwner} this one): this worker should finish the batch in flight, checkpoint and release it. The
 * lease as the table holds it now comes with the exception, so the draining owner can go on writing.
 */
public class HandoffRequestedException extends RuntimeException {

    private final transient Lease current;

    public HandoffRequestedException(Lease current) {
        super("Lease " + current.leaseKey() + " is being handed to " + current.leaseOwner());
        this.current = current;
    }

    /** The lease as read back from the table. */
    public Lease current() {
        return current;
    }
}
