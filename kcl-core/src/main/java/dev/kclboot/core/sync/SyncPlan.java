package dev.kclboot.core.sync;

import java.util.List;

import dev.kclboot.core.lease.Lease;

/**
 * The leases a sync round should create, parents before children (by starting sequence number).
 * @param descendantLeases leases of shards whose lineage the application consumed (start at TRIM_HORIZON once their
 * parents are done)
 * @param newLineageLeases leases of lineages without any lease yet (start at the initial position)
 */
public record SyncPlan(List<Lease> descendantLeases, List<Lease> newLineageLeases) {

    public SyncPlan {
        descendantLeases = List.copyOf(descendantLeases);
        newLineageLeases = List.copyOf(newLineageLeases);
    }

    /** Every lease to create. */
    public List<Lease> all() {
        return java.util.stream.Stream.concat(newLineageLeases.stream(), descendantLeases.stream()).toList();
    }

    public boolean isEmpty() {
        return descendantLeases.isEmpty() && newLineageLeases.isEmpty();
    }
}
