package dev.kclboot.core.lease;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges lease expiry on the local clock, as the KCL does: a lease whose counter has not moved for the failover time
 * (as seen by this worker's scans) is expired. No clock agreement between workers is needed. A lease seen for the
 * first time counts as just renewed, so a new worker waits one failover time before taking over a silent peer.
 */
final class LeaseExpiryTracker {

    private record Observation(long counter, long sinceNanos) {
    }

    private final Map<String, Observation> observations = new HashMap<>();

    private final long failoverNanos;

    LeaseExpiryTracker(Duration failoverTime) {
        this.failoverNanos = failoverTime.toNanos();
    }

    /** Records a scan's counters; forgets leases that are gone. */
    synchronized void observe(Collection<Lease> leases, long nowNanos) {
        Set<String> keys = leases.stream().map(Lease::leaseKey).collect(Collectors.toSet());
        observations.keySet().retainAll(keys);
        for (Lease lease : leases) {
            Observation previous = observations.get(lease.leaseKey());
            if (previous == null || previous.counter() != lease.leaseCounter()) {
                observations.put(lease.leaseKey(), new Observation(lease.leaseCounter(), nowNanos));
            }
        }
    }

    /** Whether the lease is free, or its counter has stood still for the failover time. */
    synchronized boolean isExpired(Lease lease, long nowNanos) {
        if (lease.isFree()) {
            return true;
        }
        Observation observation = observations.get(lease.leaseKey());
        return observation != null && observation.counter() == lease.leaseCounter()
                && nowNanos - observation.sinceNanos() > failoverNanos;
    }
}
