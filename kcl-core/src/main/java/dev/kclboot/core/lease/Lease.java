package dev.kclboot.core.lease;

import java.util.Objects;
import java.util.Set;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;

/**
 * One item of the lease table, as the KCL 2.x/3.x single-stream schema stores it.
 * @param leaseKey the shard id ({@code stream:shardId} in a multi-stream table)
 * @param leaseOwner the worker holding the lease, null when free
 * @param leaseCounter the fencing token: every renewal, take, release and checkpoint increments it
 * @param ownerSwitchesSinceCheckpoint how often the lease changed hands since its last checkpoint
 * @param checkpoint how far the shard was processed
 * @param pendingCheckpoint a checkpoint in preparation (written by the KCL's two-phase checkpoint), else null
 * @param parentShardIds the shard ids of the parents (0-2)
 * @param childShardIds the shard ids of the children, once known
 * @param startingHashKey the shard's lowest hash key (decimal), null if unknown
 * @param endingHashKey the shard's highest hash key (decimal), null if unknown
 * @param checkpointOwner during a handoff (KCL 3.x's attribute, same meaning): the worker that still processes the
 * shard and may checkpoint, while {@code leaseOwner} already names the worker it is handed to; null otherwise
 * @param checkpointOwnerTimeoutMillis during a handoff, the epoch millis after which the new owner may stop waiting
 */
public record Lease(String leaseKey, @Nullable String leaseOwner, long leaseCounter, long ownerSwitchesSinceCheckpoint,
        ExtendedSequenceNumber checkpoint, @Nullable ExtendedSequenceNumber pendingCheckpoint, Set<String> parentShardIds,
        Set<String> childShardIds, @Nullable String startingHashKey, @Nullable String endingHashKey,
        @Nullable String checkpointOwner, @Nullable Long checkpointOwnerTimeoutMillis) {

    public Lease {
        Objects.requireNonNull(leaseKey, "leaseKey");
        Objects.requireNonNull(checkpoint, "checkpoint");
        parentShardIds = Set.copyOf(parentShardIds);
        childShardIds = Set.copyOf(childShardIds);
    }

    /** A lease that is not being handed over. */
    public Lease(String leaseKey, @Nullable String leaseOwner, long leaseCounter, long ownerSwitchesSinceCheckpoint,
            ExtendedSequenceNumber checkpoint, @Nullable ExtendedSequenceNumber pendingCheckpoint,
            Set<String> parentShardIds, Set<String> childShardIds, @Nullable String startingHashKey,
            @Nullable String endingHashKey) {
        this(leaseKey, leaseOwner, leaseCounter, ownerSwitchesSinceCheckpoint, checkpoint, pendingCheckpoint,
                parentShardIds, childShardIds, startingHashKey, endingHashKey, null, null);
    }

    /** Whether a handoff is in progress: {@code checkpointOwner} still processes, {@code leaseOwner} waits. */
    public boolean isHandoffPending() {
        return checkpointOwner != null;
    }

    /**
     * The worker processing the shard now: the checkpoint owner during a handoff, else the lease owner.
     */
    public @Nullable String actualOwner() {
        return checkpointOwner != null ? checkpointOwner : leaseOwner;
    }

    /** A new, free lease for a shard. */
    public static Lease newLease(String leaseKey, ExtendedSequenceNumber checkpoint, Set<String> parentShardIds,
            @Nullable String startingHashKey, @Nullable String endingHashKey) {
        return new Lease(leaseKey, null, 0, 0, checkpoint, null, parentShardIds, Set.of(), startingHashKey, endingHashKey);
    }

    public boolean isFree() {
        return leaseOwner == null;
    }

    /** Whether the shard was processed to its end. */
    public boolean isFinished() {
        return checkpoint.isShardEnd();
    }

    public boolean isOwnedBy(String workerId) {
        return workerId.equals(leaseOwner);
    }

    /**
     * Whether the checkpoint is still a start sentinel (TRIM_HORIZON, LATEST, AT_TIMESTAMP): nothing of the shard was
     * checkpointed yet.
     */
    public boolean isUnstarted() {
        return checkpoint.isSentinel() && !checkpoint.isShardEnd();
    }

    /**
     * The lease keys of the parents: a parent shard id under the same key prefix as this lease (none in a
     * single-stream table, {@code stream:} or the KCL's {@code account:stream:epoch:} in a multi-stream one). Shard ids
     * never contain a colon.
     */
    public Set<String> parentLeaseKeys() {
        return keysOf(parentShardIds);
    }

    /** The lease keys of the children, as {@link #parentLeaseKeys()} does for the parents. */
    public Set<String> childLeaseKeys() {
        return keysOf(childShardIds);
    }

    private Set<String> keysOf(Set<String> shardIds) {
        if (shardIds.isEmpty()) {
            return Set.of();
        }
        String prefix = leaseKey.substring(0, leaseKey.lastIndexOf(':') + 1);
        return shardIds.stream().map(shardId -> prefix + shardId).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** This lease with another owner and counter, not being handed over. */
    Lease withOwnerAndCounter(@Nullable String owner, long counter, long ownerSwitches) {
        return new Lease(leaseKey, owner, counter, ownerSwitches, checkpoint, pendingCheckpoint, parentShardIds,
                childShardIds, startingHashKey, endingHashKey, null, null);
    }

    /** This lease with another counter, keeping owner and handoff. */
    Lease withCounter(long counter) {
        return new Lease(leaseKey, leaseOwner, counter, ownerSwitchesSinceCheckpoint, checkpoint, pendingCheckpoint,
                parentShardIds, childShardIds, startingHashKey, endingHashKey, checkpointOwner,
                checkpointOwnerTimeoutMillis);
    }

    /** This lease being handed from its owner to another worker. */
    Lease handedTo(String newOwner, long counter, long timeoutMillis) {
        return new Lease(leaseKey, newOwner, counter, ownerSwitchesSinceCheckpoint + 1, checkpoint, pendingCheckpoint,
                parentShardIds, childShardIds, startingHashKey, endingHashKey, leaseOwner, timeoutMillis);
    }

    Lease withChildShardIds(Set<String> children) {
        return new Lease(leaseKey, leaseOwner, leaseCounter, ownerSwitchesSinceCheckpoint, checkpoint, pendingCheckpoint,
                parentShardIds, children, startingHashKey, endingHashKey, checkpointOwner, checkpointOwnerTimeoutMillis);
    }

    Lease withCheckpoint(ExtendedSequenceNumber newCheckpoint, long counter) {
        return new Lease(leaseKey, leaseOwner, counter, 0, newCheckpoint, null, parentShardIds, childShardIds,
                startingHashKey, endingHashKey, checkpointOwner, checkpointOwnerTimeoutMillis);
    }
}
