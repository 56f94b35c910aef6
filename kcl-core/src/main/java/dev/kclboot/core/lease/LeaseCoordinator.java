package dev.kclboot.core.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this worker's leases: takes them ({@link #takeLeases()}), keeps them ({@link #renewLeases()}), writes their
 * checkpoints and releases them. Every write is fenced by the lease counter; a failed condition means the lease was
 * lost and it is dropped at once. A lease that could not be renewed for the failover time (DynamoDB unreachable) is
 * dropped too, since other workers may consider it expired by then.
 */
public class LeaseCoordinator {

    private static final Logger logger = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final LeaseTable table;

    private final String workerId;

    private final long failoverNanos;

    private final LeaseTaker taker;

    private final LeaseExpiryTracker expiry;

    private final Map<String, HeldLeaseState> held = new ConcurrentHashMap<>();

    private final LeaseEvents events;

    private volatile @Nullable Instant lastRenewal;

    public LeaseCoordinator(LeaseTable table, String workerId, Duration failoverTime, int maxLeasesPerWorker,
            int maxLeasesToSteal, LeaseEvents events) {
        this.table = table;
        this.workerId = workerId;
        this.failoverNanos = failoverTime.toNanos();
        this.taker = new LeaseTaker(workerId, maxLeasesPerWorker, maxLeasesToSteal, new Random());
        this.expiry = new LeaseExpiryTracker(failoverTime);
        this.events = events;
    }

    public LeaseTable table() {
        return table;
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Takes what this worker should hold, from one scan of the table.
     * @param scanned the leases of the streams this worker consumes now, as just scanned
     * @param excluded leases this worker must not take now (e.g. its backoff after a consumer failure on the shard)
     */
    public void takeLeases(List<Lease> scanned, Predicate<Lease> excluded) {
        if (held.isEmpty()) {
            // Nothing to renew: reading the table is what shows this worker is in touch with it.
            lastRenewal = Instant.now();
        }
        long now = System.nanoTime();
        expiry.observe(scanned, now);
        Map<String, Lease> byKey = new HashMap<>();
        scanned.forEach(lease -> byKey.put(lease.leaseKey(), lease));
        Predicate<Lease> waiting = lease -> ParentsFirst.isWaiting(lease, byKey);
        for (Lease lease : scanned) {
            if (lease.isOwnedBy(workerId) && !held.containsKey(lease.leaseKey()) && !lease.isFinished()
                    && !waiting.test(lease) && !excluded.test(lease)) {
                // Ours in the table but not in memory (e.g. a restart with the same worker id): take it properly.
                tryTake(lease, now);
            }
        }
        for (Lease lease : taker.selectLeasesToTake(scanned, candidate -> expiry.isExpired(candidate, now), waiting,
                excluded)) {
            tryTake(lease, now);
        }
    }

    private void tryTake(Lease observed, long now) {
        try {
            Lease taken = table.take(observed, workerId);
            held.put(taken.leaseKey(), new HeldLeaseState(taken, now));
            if (observed.leaseOwner() != null && !observed.isOwnedBy(workerId)) {
                logger.info("Took lease {} from {}", observed.leaseKey(), observed.leaseOwner());
            }
            else {
                logger.info("Took lease {}", observed.leaseKey());
            }
            events.leaseTaken(taken.leaseKey());
        }
        catch (LeaseLostException ex) {
            logger.debug("Lease {} changed before it could be taken", observed.leaseKey());
        }
        catch (RuntimeException ex) {
            logger.warn("Could not take lease {} ({}); the next taking round tries again", observed.leaseKey(),
                    dev.kclboot.core.aws.AwsFailures.describe(ex));
        }
    }

    /**
     * Renews every held lease once. The round counts as a renewal ({@link #lastRenewal()}) only when DynamoDB answered
     * for every held lease; a round without leases proves nothing (see {@link #takeLeases()}).
     */
    public void renewLeases() {
        boolean allRenewed = true;
        boolean answered = false;
        for (var entry : held.entrySet()) {
            HeldLeaseState state = entry.getValue();
            synchronized (state) {
                if (held.get(entry.getKey()) != state) {
                    continue;
                }
                try {
                    state.update(table.renew(state.lease()), System.nanoTime());
                    answered = true;
                }
                catch (LeaseLostException ex) {
                    answered = true;
                    drop(entry.getKey(), state, "another worker changed it");
                }
                catch (RuntimeException ex) {
                    allRenewed = false;
                    if (System.nanoTime() - state.lastRenewalNanos() > failoverNanos) {
                        drop(entry.getKey(), state, "it could not be renewed for the failover time (" + ex + ")");
                    }
                    else {
                        logger.warn("Could not renew lease {}: {}", entry.getKey(), ex.toString());
                    }
                }
            }
        }
        if (allRenewed && answered) {
            lastRenewal = Instant.now();
        }
    }

    private void drop(String leaseKey, HeldLeaseState state, String why) {
        if (held.remove(leaseKey, state)) {
            logger.warn("Lost lease {}: {}", leaseKey, why);
            events.leaseLost(leaseKey);
        }
    }

    /** The held lease and the token of this tenure, if held. */
    public Optional<HeldLeaseView> heldLease(String leaseKey) {
        HeldLeaseState state = held.get(leaseKey);
        return state == null ? Optional.empty() : Optional.of(new HeldLeaseView(state.lease(), state.token()));
    }

    public boolean isHeld(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        return state != null && state.token().equals(token);
    }

    public List<HeldLeaseView> heldLeases() {
        return held.values().stream().map(state -> new HeldLeaseView(state.lease(), state.token())).toList();
    }

    /**
     * Writes a checkpoint for a lease held in the given tenure.
     * @throws LeaseLostException when the lease is no longer held (it is then dropped)
     */
    public Lease checkpoint(String leaseKey, UUID token, ExtendedSequenceNumber checkpoint) {
        HeldLeaseState state = requireHeld(leaseKey, token);
        synchronized (state) {
            if (held.get(leaseKey) != state) {
                throw new LeaseLostException(leaseKey);
            }
            try {
                Lease updated = table.checkpoint(state.lease(), checkpoint);
                state.update(updated, System.nanoTime());
                return updated;
            }
            catch (LeaseLostException ex) {
                drop(leaseKey, state, "another worker changed it");
                throw ex;
            }
        }
    }

    /** Releases a lease held in the given tenure so a peer can take it at once. */
    public void release(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        if (state == null || !state.token().equals(token)) {
            return;
        }
        synchronized (state) {
            if (!held.remove(leaseKey, state)) {
                return;
            }
            try {
                table.release(state.lease());
                logger.info("Released lease {}", leaseKey);
            }
            catch (RuntimeException ex) {
                logger.warn("Could not release lease {} ({}); it will expire after the failover time", leaseKey, ex.toString());
            }
        }
    }

    /**
     * When the last renewal round in which every held lease was renewed ended or, while no lease is held, when the
     * lease table was last read for taking; null before the first. It stands still while DynamoDB is unreachable, also
     * once the leases that could not be renewed were dropped.
     */
    public @Nullable Instant lastRenewal() {
        return lastRenewal;
    }

    private HeldLeaseState requireHeld(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        if (state == null || !state.token().equals(token)) {
            throw new LeaseLostException(leaseKey);
        }
        return state;
    }

    /**
     * Forgets one held lease without writing to the table: its checkpoints are refused from now on and peers take it
     * after the failover time. For a consumer abandoned at shutdown.
     */
    public void forget(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        if (state != null && state.token().equals(token)) {
            held.remove(leaseKey, state);
        }
    }

    /**
     * Forgets every held lease without writing to the table, as a crashed worker would: peers take them after the
     * failover time. For tests of failover.
     */
    public void abandonAll() {
        held.clear();
    }

    /** Runs an action on every held lease key (for shutdown). */
    public void forEachHeld(Consumer<String> action) {
        held.keySet().forEach(action);
    }
}
