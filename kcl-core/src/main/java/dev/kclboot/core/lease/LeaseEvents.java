package dev.kclboot.core.lease;

/**
 * Told when this worker takes or loses a lease (for metrics and for stopping a consumer at once).
 */
public interface LeaseEvents {

    void leaseTaken(String leaseKey);

    void leaseLost(String leaseKey);
}
