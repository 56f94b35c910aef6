package dev.kclboot.multilang.lease;

import java.util.function.Supplier;

import dev.kclboot.core.HeldLease;
import dev.kclboot.core.Worker;
import org.jspecify.annotations.Nullable;

/**
 * Reads what the engine's processor API does not hand over but the protocol needs, from the worker's snapshot of its
 * leases: the checkpoint of a lease for {@code initialize}, and the shard's lag for {@code processRecords}.
 * (Engine wish: {@code initialize} with the checkpoint and {@code processRecords} with millisBehindLatest.)
 */
public final class LeaseLookup {

    private final Supplier<@Nullable Worker> worker;

    /**
     * @param worker the worker, null until it is built (the processor factory is made first)
     */
    public LeaseLookup(Supplier<@Nullable Worker> worker) {
        this.worker = worker;
    }

    /** The checkpoint of the held lease of a shard, {@link LeasePosition#UNKNOWN} when it is not held. */
    public LeasePosition checkpointOf(String shardId) {
        HeldLease lease = find(shardId);
        return lease == null ? LeasePosition.UNKNOWN : LeasePosition.parse(lease.checkpoint());
    }

    /** How far the shard's last read was behind its tip, null before the first read. */
    public @Nullable Long millisBehindLatest(String shardId) {
        HeldLease lease = find(shardId);
        return lease == null ? null : lease.millisBehindLatest();
    }

    private @Nullable HeldLease find(String shardId) {
        Worker current = worker.get();
        if (current == null) {
            return null;
        }
        for (HeldLease lease : current.leases()) {
            if (lease.shardId().equals(shardId)) {
                return lease;
            }
        }
        return null;
    }
}
