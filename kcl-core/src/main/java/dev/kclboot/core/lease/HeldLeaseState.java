package dev.kclboot.core.lease;

import java.util.UUID;

/**
 * A lease this worker holds: the last version it wrote, the concurrency token of this tenure (a lease lost and taken
 * back gets a new token, so a checkpointer of the old tenure cannot write), and when it was last renewed: when the last
 * successful write was sent (it landed after that; its answer may have come much later).
 * Guarded by its own monitor: renewal and checkpoint both increment the counter and must not race.
 */
final class HeldLeaseState {

    private Lease lease;

    private final UUID token = UUID.randomUUID();

    private long lastRenewalNanos;

    HeldLeaseState(Lease lease, long nowNanos) {
        this.lease = lease;
        this.lastRenewalNanos = nowNanos;
    }

    synchronized Lease lease() {
        return lease;
    }

    synchronized void update(Lease lease, long nowNanos) {
        this.lease = lease;
        this.lastRenewalNanos = nowNanos;
    }

    UUID token() {
        return token;
    }

    synchronized long lastRenewalNanos() {
        return lastRenewalNanos;
    }
}
