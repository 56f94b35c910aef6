package dev.kclboot.core.lease;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaseTable} in memory, with the conditions of {@link DynamoDbLeaseTable}: the owner's writes (renew,
 * checkpoint, release) are conditional on its ownership (its checkpoint ownership while a lease is being handed over)
 * and increment the counter; the others' (take, handoff request) on the counter and the owner as they observed them.
 * A failed condition is a {@link LeaseLostException} or, for the worker a lease is being handed away from, a
 * {@link HandoffRequestedException}. For unit tests of the classes above the table; failures of the next
 * writes can be injected ({@link #failNextWrites}), as DynamoDB would throw them (after which nothing was written).
 */
public final class InMemoryLeaseTable implements LeaseTable {

    private final Map<String, Lease> rows = new LinkedHashMap<>();

    private final Deque<RuntimeException> failures = new ArrayDeque<>();

    private int writes;

    @Override
    public String tableName() {
        return "in-memory";
    }

    /** The next writes (renew, take, release, handoff, checkpoint) throw these, one each, and write nothing. */
    public synchronized void failNextWrites(RuntimeException... next) {
        failures.addAll(List.of(next));
    }

    /** How many writes changed a row. */
    public synchronized int writes() {
        return writes;
    }

    /** The row as stored (for assertions). */
    public synchronized Lease row(String leaseKey) {
        return Objects.requireNonNull(rows.get(leaseKey), () -> "no lease " + leaseKey);
    }

    @Override
    public synchronized List<Lease> listLeases() {
        return rows.values().stream().sorted(Comparator.comparing(Lease::leaseKey)).toList();
    }

    @Override
    public synchronized Optional<Lease> getLease(String leaseKey) {
        return Optional.ofNullable(rows.get(leaseKey));
    }

    @Override
    public synchronized boolean createLeaseIfNotExists(Lease lease) {
        return rows.putIfAbsent(lease.leaseKey(), lease) == null;
    }

    @Override
    public synchronized Lease renew(Lease held) {
        Lease row = expectOwned(held);
        return write(row.withCounter(row.leaseCounter() + 1));
    }

    @Override
    public synchronized Lease take(Lease observed, String newOwner) {
        Lease row = expect(observed);
        long switches = row.isOwnedBy(newOwner) ? row.ownerSwitchesSinceCheckpoint()
                : row.ownerSwitchesSinceCheckpoint() + 1;
        return write(row.withOwnerAndCounter(newOwner, row.leaseCounter() + 1, switches));
    }

    @Override
    public synchronized Lease release(Lease held) {
        Lease row = expectOwned(held);
        String owner = held.isHandoffPending() ? row.leaseOwner() : null;
        return write(row.withOwnerAndCounter(owner, row.leaseCounter() + 1, row.ownerSwitchesSinceCheckpoint()));
    }

    @Override
    public synchronized Lease requestHandoff(Lease observed, String newOwner, long timeoutMillis) {
        Lease row = expect(observed);
        if (row.isHandoffPending() || row.leaseOwner() == null) {
            throw new LeaseLostException(observed.leaseKey());
        }
        return write(row.handedTo(newOwner, row.leaseCounter() + 1, timeoutMillis));
    }

    @Override
    public synchronized Lease takeOverHandoff(Lease observed, String newOwner) {
        failIfAsked();
        Lease row = rows.get(observed.leaseKey());
        if (row == null || !row.isOwnedBy(newOwner) || !Objects.equals(row.checkpointOwner(), observed.checkpointOwner())) {
            throw new LeaseLostException(observed.leaseKey());
        }
        return write(row.withOwnerAndCounter(newOwner, row.leaseCounter() + 1, row.ownerSwitchesSinceCheckpoint()));
    }

    @Override
    public synchronized Lease checkpoint(Lease held, ExtendedSequenceNumber checkpoint) {
        Lease row = expectOwned(held);
        return write(row.withCheckpoint(checkpoint, row.leaseCounter() + 1));
    }

    @Override
    public synchronized void addChildShardIds(String leaseKey, Set<String> childShardIds) {
        Lease row = rows.get(leaseKey);
        if (row != null && !childShardIds.isEmpty()) {
            Set<String> children = new HashSet<>(row.childShardIds());
            children.addAll(childShardIds);
            rows.put(leaseKey, row.withChildShardIds(children));
        }
    }

    @Override
    public synchronized boolean deleteFinishedLease(Lease finished) {
        Lease row = rows.get(finished.leaseKey());
        if (row == null) {
            return true;
        }
        if (!row.isFinished() || row.leaseCounter() != finished.leaseCounter()) {
            return false;
        }
        rows.remove(finished.leaseKey());
        return true;
    }

    /** The row, if it is as the writer expects it (DynamoDbLeaseTable's condition expression), else the failure. */
    private Lease expect(Lease expected) {
        failIfAsked();
        Lease row = rows.get(expected.leaseKey());
        boolean matches = row != null && row.leaseCounter() == expected.leaseCounter()
                && (expected.checkpointOwner() != null ? expected.checkpointOwner().equals(row.checkpointOwner())
                        : Objects.equals(expected.leaseOwner(), row.leaseOwner()));
        if (matches) {
            return row;
        }
        String writer = expected.actualOwner();
        if (row != null && writer != null && writer.equals(row.checkpointOwner()) && !writer.equals(row.leaseOwner())) {
            throw new HandoffRequestedException(row);
        }
        throw new LeaseLostException(expected.leaseKey());
    }

    /** The row, if the writer still owns it (checkpoint-owns it while draining), else the failure. */
    private Lease expectOwned(Lease held) {
        failIfAsked();
        Lease row = rows.get(held.leaseKey());
        String writer = held.actualOwner();
        boolean owned = row != null && writer != null && (held.isHandoffPending() ? writer.equals(row.checkpointOwner())
                : writer.equals(row.leaseOwner()) && !row.isHandoffPending());
        if (owned) {
            return row;
        }
        if (row != null && writer != null && writer.equals(row.checkpointOwner()) && !writer.equals(row.leaseOwner())) {
            throw new HandoffRequestedException(row);
        }
        throw new LeaseLostException(held.leaseKey());
    }

    private void failIfAsked() {
        @Nullable RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    private Lease write(Lease updated) {
        rows.put(updated.leaseKey(), updated);
        writes++;
        return updated;
    }
}
