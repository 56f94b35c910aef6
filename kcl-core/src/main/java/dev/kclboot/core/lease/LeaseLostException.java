package dev.kclboot.core.lease;

/**
 * A conditional write on a lease failed: another worker changed it (took it, renewed it, released it), so this
 * worker no longer holds the lease it thought it held.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String leaseKey) {
        super("Lease " + leaseKey + " is no longer held by this worker");
    }
}
