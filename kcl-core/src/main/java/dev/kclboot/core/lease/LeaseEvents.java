package dev.kclboot.core.lease;

/**
 * Told when this worker takes or loses a lease, or is asked to hand one over (for metrics and for stopping a
 * consumer at once).
 */
public interface LeaseEvents {

    void leaseTaken(String leaseKey);

    void leaseLost(String leaseKey);

    /**
     * Another worker asked for the lease: the consumer should finish its batch, let the processor checkpoint
     * ({@code shutdown(REQUESTED)}) and release the lease, which completes the handoff.
     */
    void handoffRequested(String leaseKey);
}
