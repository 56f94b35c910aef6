package dev.kclboot.core.lease;

import java.util.Map;

/**
 * The parents-first rule: a lease waits while any parent lease that exists is not at SHARD_END, so the records of a
 * partition key are processed in order across splits and merges. A parent without a lease row (consumed and cleaned
 * up, or expired, or never leased) is nothing to wait for.
 */
public final class ParentsFirst {

    private ParentsFirst() {
    }

    /** Whether the lease must wait for a parent, judged from a scan of the table (leases by key). */
    public static boolean isWaiting(Lease lease, Map<String, Lease> scanByKey) {
        for (String parentKey : lease.parentLeaseKeys()) {
            Lease parent = scanByKey.get(parentKey);
            if (parent != null && !parent.isFinished()) {
                return true;
            }
        }
        return false;
    }
}
