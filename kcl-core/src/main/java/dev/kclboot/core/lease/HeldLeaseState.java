package dev.kclboot.core.lease;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease this worker holds: what it knows of the row, the token of this tenure (a lease lost and taken back gets a
 * new token, so a checkpointer of the old tenure cannot write), and when the last write that succeeded was sent.
 * <p>
 * The monitor guards only these fields and is never held during a DynamoDB call: a slow checkpoint does not delay a
 * renewal, and neither waits for the other (the table's writes by the owner commute, see {@link LeaseTable}).
 */
final class HeldLeaseState {

    private Lease lease;

    private final UUID token = UUID.randomUUID();

    /** When the latest successful write was sent: peers saw the counter move no earlier than that. */
    private long lastWriteNanos;

    /** When the next renewal is due. */
    private long nextRenewalNanos;

    private final AtomicBoolean renewing = new AtomicBoolean();

    /**
     * @param sentNanos when the write that took the lease was sent
     * @param firstRenewalAfter how long after that the first renewal is due
     */
    HeldLeaseState(Lease lease, long sentNanos, long firstRenewalAfter) {
        this.lease = lease;
        this.lastWriteNanos = sentNanos;
        this.nextRenewalNanos = sentNanos + firstRenewalAfter;
    }

    synchronized long nextRenewalNanos() {
        return nextRenewalNanos;
    }

    synchronized Lease lease() {
        return lease;
    }

    UUID token() {
        return token;
    }

    synchronized long lastWriteNanos() {
        return lastWriteNanos;
    }

    /**
     * A renewal due at {@code dueNanos} and sent at {@code sentNanos} succeeded with this counter; the next keeps the
     * lease's phase ({@link RenewalPhase#next}).
     */
    synchronized void renewed(long counter, long sentNanos, long dueNanos, long intervalNanos) {
        lease = lease.withCounter(Math.max(counter, lease.leaseCounter()));
        written(sentNanos, RenewalPhase.next(dueNanos, sentNanos, intervalNanos));
    }

    /**
     * A checkpoint sent at {@code sentNanos} succeeded (it moved the counter too: a renewal due soon can be skipped,
     * keeping the lease's phase: {@link RenewalPhase#afterWrite}).
     */
    synchronized void checkpointed(Lease written, long sentNanos, long intervalNanos) {
        lease = written.withCounter(Math.max(written.leaseCounter(), lease.leaseCounter()));
        written(sentNanos, RenewalPhase.afterWrite(nextRenewalNanos, sentNanos, intervalNanos));
    }

    private void written(long sentNanos, long nextDueNanos) {
        if (sentNanos - lastWriteNanos > 0) {
            lastWriteNanos = sentNanos;
            nextRenewalNanos = Math.max(nextRenewalNanos, nextDueNanos);
        }
    }

    /** A renewal failed (no answer, throttled): the next try is due at {@code retryNanos}. */
    synchronized void renewalFailed(long retryNanos) {
        if (retryNanos - nextRenewalNanos > 0) {
            nextRenewalNanos = retryNanos;
        }
    }

    /** The lease is being handed to another worker: the row as the requester left it (this worker drains it). */
    synchronized void handingOver(Lease row) {
        lease = row.withCounter(Math.max(row.leaseCounter(), lease.leaseCounter()));
    }

    /** Claims the right to renew now; false while a renewal of this lease is still in flight. */
    boolean startRenewal() {
        return renewing.compareAndSet(false, true);
    }

    void renewalDone() {
        renewing.set(false);
    }
}
