package dev.kclboot.core.lease;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.kclboot.core.record.ExtendedSequenceNumber;

/**
 * The lease table as the engine uses it: every change of ownership or progress is conditional on the lease as this
 * worker last saw it ({@code leaseCounter} as fencing token, and {@code leaseOwner}) and increments the counter, as in
 * the KCL. A change whose condition fails throws {@link LeaseLostException}; a change that may or may not have landed
 * (a 5xx or a timeout, or a retry of a write that had landed) is settled by reading the row back, so a write that
 * landed is never reported as a lost lease.
 * <p>
 * {@link DynamoDbLeaseTable} is the implementation; the interface keeps the lease logic testable on its own.
 */
public interface LeaseTable {

    /** The DynamoDB table name. */
    String tableName();

    /** Every lease in the table (a consistent scan; items that are not leases are skipped). */
    List<Lease> listLeases();

    /** One lease, read consistently. */
    Optional<Lease> getLease(String leaseKey);

    /** Creates the lease unless one with its key exists; returns whether this call created it. */
    boolean createLeaseIfNotExists(Lease lease);

    /** {@link #createLeaseIfNotExists} without blocking the caller, as {@link #renewAsync} is to {@link #renew}. */
    default CompletableFuture<Boolean> createLeaseIfNotExistsAsync(Lease lease, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> createLeaseIfNotExists(lease), blocking);
    }

    /** Increments the counter of a lease this worker holds. */
    Lease renew(Lease held);

    /**
     * {@link #renew} without blocking the caller; fails as {@code renew} throws. This default runs {@code renew} on
     * {@code blocking}; a table with a non-blocking client sends the call without holding a thread.
     * @param blocking runs what blocks (here the whole call; with a non-blocking client, only reading the row back
     * after an ambiguous failure)
     */
    default CompletableFuture<Lease> renewAsync(Lease held, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> renew(held), blocking);
    }

    /**
     * Takes a lease as last observed (free, expired or another worker's): owner set, counter and owner switches
     * incremented, on condition that nobody changed it since it was observed.
     */
    Lease take(Lease observed, String newOwner);

    /** {@link #take} without blocking the caller, as {@link #renewAsync} is to {@link #renew}. */
    default CompletableFuture<Lease> takeAsync(Lease observed, String newOwner, Executor blocking) {
        return CompletableFuture.supplyAsync(() -> take(observed, newOwner), blocking);
    }

    /**
     * Gives up a held lease: owner removed, counter incremented, so peers can take it at once. A lease being handed
     * over (this worker is its {@code checkpointOwner}) is completed instead: the checkpoint owner is removed, so the
     * new owner may start.
     */
    Lease release(Lease held);

    /**
     * Asks the owner of a lease to hand it over (the KCL 3.x shape): {@code leaseOwner} becomes the new owner,
     * {@code checkpointOwner} the current one, which finishes its batch, checkpoints and releases; the new owner
     * waits for that. Conditional on the lease being as observed and not already being handed over.
     */
    Lease requestHandoff(Lease observed, String newOwner, long timeoutMillis);

    /**
     * Ends a handoff the previous owner did not complete in time: removes {@code checkpointOwner} and increments the
     * counter (whatever the previous owner wrote meanwhile), so the previous owner's next write fails.
     */
    Lease takeOverHandoff(Lease observed, String newOwner);

    /** Stores a checkpoint of a held lease (clears a pending checkpoint and the owner-switch count). */
    Lease checkpoint(Lease held, ExtendedSequenceNumber checkpoint);

    /** Records the children of a finished shard on its lease (metadata only: no counter condition; idempotent). */
    void addChildShardIds(String leaseKey, Set<String> childShardIds);

    /**
     * Deletes a finished lease on condition that it is still at SHARD_END with the counter it was read with.
     * @return true when the row is gone (deleted by this call, or already), false when it changed meanwhile
     */
    boolean deleteFinishedLease(Lease finished);
}
