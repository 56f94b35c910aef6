package dev.kclboot.core.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this worker's leases: takes them ({@link #takeLeases}), keeps them ({@link #renewLeases()}), writes their
 * checkpoints and releases them. Every write is fenced by the lease counter; a failed condition means the lease was
 * lost (it is dropped at once) or is being handed to another worker (it is drained: checkpoints and renewals go on
 * until the consumer releases it).
 * <p>
 * A lease counts as held only while its last successful write is younger than the failover time minus one renewal
 * interval: a worker that cannot renew (DynamoDB unreachable, the process stalled) stops delivering its shards before
 * any peer can judge the lease expired and take it (peers wait a full failover time from when they see the counter
 * stand still). A stop of the whole JVM longer than that (a GC pause) can still overlap a peer.
 * <p>
 * Rebalancing hands over instead of grabbing: when this worker should take a lease from a busier live worker, it
 * asks for it ({@link LeaseTable#requestHandoff}); the owner finishes its batch, checkpoints and releases; this
 * worker takes it at its next round. When the owner does not complete within the failover time, this worker takes
 * it anyway.
 */
public class LeaseCoordinator {

    private static final Logger logger = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final LeaseTable table;

    private final String workerId;

    private final long failoverNanos;

    private final long heldNanos;

    private final LeaseTaker taker;

    private final LeaseExpiryTracker expiry;

    private final Map<String, HeldLeaseState> held = new ConcurrentHashMap<>();

    /** Handoffs this worker asked for, by lease key: when it asked (local clock). */
    private final Map<String, Long> requestedHandoffs = new ConcurrentHashMap<>();

    private final LeaseEvents events;

    private volatile @Nullable Instant lastRenewal;

    private final Executor renewals;

    private final long renewalIntervalNanos;

    /**
     * @param renewals runs the renewals of a round concurrently (a bounded pool: one slow call must not delay the
     * others)
     */
    public LeaseCoordinator(LeaseTable table, String workerId, Duration failoverTime, int maxLeasesPerWorker,
            int maxLeasesToSteal, LeaseEvents events, Executor renewals) {
        this.renewals = renewals;
        this.renewalIntervalNanos = failoverTime.toNanos() / 3;
        this.table = table;
        this.workerId = workerId;
        this.failoverNanos = failoverTime.toNanos();
        this.heldNanos = failoverNanos - failoverNanos / 3;
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
     * @return whether the table is settled: nothing free, expired or being handed over, and nothing for this worker
     * to take or ask for (the control loop then scans less often)
     */
    public boolean takeLeases(List<Lease> scanned, Predicate<Lease> excluded) {
        if (held.isEmpty()) {
            // Nothing to renew: reading the table is what shows this worker is in touch with it.
            lastRenewal = Instant.now();
        }
        long now = System.nanoTime();
        expiry.observe(scanned, now);
        Map<String, Lease> byKey = new HashMap<>();
        scanned.forEach(lease -> byKey.put(lease.leaseKey(), lease));
        requestedHandoffs.keySet().removeIf(key -> byKey.get(key) == null || !byKey.get(key).isOwnedBy(workerId));
        Predicate<Lease> waiting = lease -> ParentsFirst.isWaiting(lease, byKey);
        List<Runnable> writes = new java.util.ArrayList<>();
        List<Lease> takes = new java.util.ArrayList<>();
        for (Lease lease : scanned) {
            if (lease.isOwnedBy(workerId) && !held.containsKey(lease.leaseKey()) && !lease.isFinished()
                    && !waiting.test(lease) && !excluded.test(lease)) {
                if (lease.isHandoffPending() && !workerId.equals(lease.checkpointOwner())) {
                    writes.add(() -> awaitHandoff(lease, now));
                }
                else {
                    // Ours in the table but not in memory: a handoff completed, or a restart with the same worker id.
                    takes.add(lease);
                }
            }
        }
        // A lease in the middle of someone else's handoff is left alone unless its worker went silent.
        Predicate<Lease> notNow = excluded.or(lease -> lease.isHandoffPending() && !expiry.isExpired(lease, now));
        List<Lease> selected = taker.selectLeasesToTake(scanned, candidate -> expiry.isExpired(candidate, now), waiting,
                notNow);
        boolean settled = selected.isEmpty() && requestedHandoffs.isEmpty() && scanned.stream()
                .noneMatch(lease -> !lease.isFinished() && !waiting.test(lease)
                        && (lease.isFree() || lease.isHandoffPending() || expiry.isExpired(lease, now)
                                || (lease.isOwnedBy(workerId) && !held.containsKey(lease.leaseKey()))));
        for (Lease lease : selected) {
            if (lease.isFree() || expiry.isExpired(lease, now)) {
                takes.add(lease);
            }
            else {
                writes.add(() -> requestHandoff(lease, now));
            }
        }
        runConcurrently(takes, writes, now);
        return settled;
    }

    /**
     * Sends the takes of a taking round at once ({@link LeaseTable#takeAsync}: without holding a thread each when
     * the table has an async client) and runs its other writes on the renewal executor (each is conditional on its
     * own lease, so their order does not matter), and waits for them, at most the failover time: a worker starting on
     * 200 free leases takes them in a few round trips, not 200.
     */
    private void runConcurrently(List<Lease> takes, List<Runnable> writes, long now) {
        if (takes.isEmpty() && writes.size() <= 1) {
            writes.forEach(Runnable::run);
            return;
        }
        List<CompletableFuture<Void>> running = new java.util.ArrayList<>();
        for (Lease lease : takes) {
            running.add(tryTake(lease, now));
        }
        for (Runnable write : writes) {
            try {
                running.add(CompletableFuture.runAsync(write, renewals));
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                return; // The worker is stopping.
            }
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .get(failoverNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
            logger.warn("Some lease writes of the taking round did not finish within the failover time");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A lease handed to this worker whose previous owner has not released it yet. */
    private void awaitHandoff(Lease lease, long now) {
        Long askedAt = requestedHandoffs.putIfAbsent(lease.leaseKey(), now);
        boolean waitedLongEnough = askedAt != null && now - askedAt > failoverNanos;
        if (!waitedLongEnough && !expiry.isExpired(lease, now)) {
            return;
        }
        try {
            Lease taken = table.takeOverHandoff(lease, workerId);
            requestedHandoffs.remove(lease.leaseKey());
            held.put(taken.leaseKey(), new HeldLeaseState(taken, now, firstRenewalAfter()));
            logger.info("Took lease {}: {} did not hand it over within the failover time", lease.leaseKey(),
                    lease.checkpointOwner());
            events.leaseTaken(taken.leaseKey());
        }
        catch (LeaseLostException ex) {
            requestedHandoffs.remove(lease.leaseKey());
        }
        catch (RuntimeException ex) {
            logger.warn("Could not take over lease {} ({}); the next round tries again", lease.leaseKey(),
                    AwsFailures.describe(ex));
        }
    }

    private void requestHandoff(Lease observed, long now) {
        try {
            table.requestHandoff(observed, workerId, System.currentTimeMillis() + failoverNanos / 1_000_000);
            requestedHandoffs.put(observed.leaseKey(), now);
            logger.info("Asked {} to hand over lease {}", observed.leaseOwner(), observed.leaseKey());
        }
        catch (LeaseLostException | HandoffRequestedException ex) {
            logger.debug("Lease {} changed before its handoff could be asked for", observed.leaseKey());
        }
        catch (RuntimeException ex) {
            logger.warn("Could not ask for lease {} ({}); the next taking round tries again", observed.leaseKey(),
                    AwsFailures.describe(ex));
        }
    }

    private CompletableFuture<Void> tryTake(Lease observed, long now) {
        long sent = System.nanoTime();
        CompletableFuture<Lease> call;
        try {
            call = table.takeAsync(observed, workerId, renewals);
        }
        catch (java.util.concurrent.RejectedExecutionException ex) {
            return CompletableFuture.completedFuture(null); // The worker is stopping.
        }
        catch (RuntimeException ex) {
            // A table that throws instead of failing its future: this take is skipped, not the rest of the round.
            logger.warn("Could not take lease {} ({}); the next taking round tries again", observed.leaseKey(),
                    AwsFailures.describe(ex));
            return CompletableFuture.completedFuture(null);
        }
        return call.handle((taken, failure) -> {
            if (failure == null) {
                took(observed, taken, sent);
                return null;
            }
            RuntimeException cause = unwrap(failure);
            if (cause instanceof LeaseLostException || cause instanceof HandoffRequestedException) {
                logger.debug("Lease {} changed before it could be taken", observed.leaseKey());
            }
            else {
                logger.warn("Could not take lease {} ({}); the next taking round tries again", observed.leaseKey(),
                        AwsFailures.describe(cause));
            }
            return null;
        });
    }

    private void took(Lease observed, Lease taken, long sentNanos) {
        requestedHandoffs.remove(observed.leaseKey());
        held.put(taken.leaseKey(), new HeldLeaseState(taken, sentNanos, firstRenewalAfter()));
        String from = observed.actualOwner();
        if (from != null && !from.equals(workerId)) {
            logger.info("Took lease {} from {}", observed.leaseKey(), from);
        }
        else {
            logger.info("Took lease {}", observed.leaseKey());
        }
        events.leaseTaken(taken.leaseKey());
    }

    /**
     * Renews every held lease once, concurrently ({@link LeaseTable#renewAsync}), and waits for the round for at most
     * one renewal interval (a renewal still in flight then is not started again for its lease). A lease that was not
     * renewed in time is dropped first (it is no longer held locally; see the class comment). The round counts as a
     * renewal ({@link #lastRenewal()}) only when DynamoDB answered for every held lease; a round without leases
     * proves nothing (see {@link #takeLeases}).
     */
    public void renewLeases() {
        List<CompletableFuture<Boolean>> round = new java.util.ArrayList<>();
        for (var entry : held.entrySet()) {
            String leaseKey = entry.getKey();
            HeldLeaseState state = entry.getValue();
            if (System.nanoTime() - state.lastWriteNanos() > heldNanos) {
                drop(leaseKey, state, "it was not renewed for " + heldNanos / 1_000_000
                        + " ms: peers may take it after the failover time");
                round.add(CompletableFuture.completedFuture(false));
                continue;
            }
            if (!state.startRenewal()) {
                round.add(CompletableFuture.completedFuture(false)); // The previous renewal is still in flight.
                continue;
            }
            CompletableFuture<Boolean> renewal = renewOnce(leaseKey, state, System.nanoTime());
            round.add(renewal);
        }
        if (round.isEmpty()) {
            return;
        }
        boolean allRenewed;
        try {
            CompletableFuture.allOf(round.toArray(CompletableFuture[]::new))
                    .get(renewalIntervalNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            allRenewed = round.stream().allMatch(CompletableFuture::join);
        }
        catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
            allRenewed = false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        if (allRenewed) {
            lastRenewal = Instant.now();
        }
    }

    /**
     * Renews the leases that are due ({@link LeaseTable#renewAsync}), without waiting. Each lease keeps its own phase
     * in the renewal interval ({@link RenewalPhase}), so called every small fraction of the interval this sends
     * renewals at an even rate: a blocking table's renewal pool needs about rate × latency threads, not one per lease
     * of a burst, and an async client holds none while the calls are in flight. Drops the
     * leases not renewed in time; {@link #lastRenewal()} moves while no held lease is overdue.
     */
    public void renewDueLeases() {
        long now = System.nanoTime();
        boolean allFresh = true;
        for (var entry : held.entrySet()) {
            String leaseKey = entry.getKey();
            HeldLeaseState state = entry.getValue();
            long sinceWrite = now - state.lastWriteNanos();
            if (sinceWrite > heldNanos) {
                drop(leaseKey, state, "it was not renewed for " + heldNanos / 1_000_000
                        + " ms: peers may take it after the failover time");
                allFresh = false;
                continue;
            }
            if (sinceWrite > renewalIntervalNanos + renewalIntervalNanos / 2) {
                allFresh = false;
            }
            long due = state.nextRenewalNanos();
            if (now - due >= 0 && state.startRenewal()) {
                renewOnce(leaseKey, state, due);
            }
        }
        if (allFresh && !held.isEmpty()) {
            lastRenewal = Instant.now();
        }
    }

    /** When a lease just taken is first renewed: a random phase of the renewal interval ({@link RenewalPhase}). */
    private long firstRenewalAfter() {
        return RenewalPhase.firstAfter(java.util.concurrent.ThreadLocalRandom.current().nextDouble(),
                renewalIntervalNanos);
    }

    /**
     * One renewal of the one due at {@code dueNanos} (the caller claimed it with {@link HeldLeaseState#startRenewal},
     * released here when it is done), sent without waiting: {@link LeaseTable#renewAsync} holds no thread while the
     * call is in flight when the table has a non-blocking client, else it runs on the renewal pool. Completes with
     * true when DynamoDB answered (renewed, or the lease is gone).
     */
    private CompletableFuture<Boolean> renewOnce(String leaseKey, HeldLeaseState state, long dueNanos) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (held.get(leaseKey) != state) {
            finish(state, done, true);
            return done;
        }
        send(leaseKey, state, dueNanos, done, true);
        return done;
    }

    /**
     * Sends one renewal and completes {@code done} with its meaning. A handoff request found on the way is taken in
     * (on the pool, never on the client's event loop: it may release the lease) and the lease renewed once more as its
     * draining owner.
     */
    private void send(String leaseKey, HeldLeaseState state, long dueNanos, CompletableFuture<Boolean> done,
            boolean mayFindHandoff) {
        long sent = System.nanoTime();
        CompletableFuture<Lease> call;
        try {
            call = table.renewAsync(state.lease(), renewals);
        }
        catch (java.util.concurrent.RejectedExecutionException ex) {
            finish(state, done, false); // The worker is stopping.
            return;
        }
        catch (RuntimeException ex) {
            finish(state, done, failed(leaseKey, state, ex)); // A table that throws instead of failing its future.
            return;
        }
        call.whenComplete((renewed, failure) -> {
            // Whatever goes wrong here, the renewal is settled: a claim never released would stop this lease's
            // renewals for good.
            try {
                settle(leaseKey, state, dueNanos, done, mayFindHandoff, sent, renewed, failure);
            }
            catch (RuntimeException ex) {
                finish(state, done, failed(leaseKey, state, ex));
            }
        });
    }

    private void settle(String leaseKey, HeldLeaseState state, long dueNanos, CompletableFuture<Boolean> done,
            boolean mayFindHandoff, long sent, @Nullable Lease renewed, @Nullable Throwable failure) {
        if (failure == null) {
            state.renewed(Objects.requireNonNull(renewed, "renewed lease").leaseCounter(), sent, dueNanos,
                    renewalIntervalNanos);
            finish(state, done, true);
            return;
        }
        RuntimeException cause = unwrap(failure);
        if (mayFindHandoff && cause instanceof HandoffRequestedException handoff) {
            try {
                renewals.execute(() -> {
                    try {
                        handoffRequested(leaseKey, state, handoff.current());
                    }
                    catch (RuntimeException ex) {
                        finish(state, done, failed(leaseKey, state, ex));
                        return;
                    }
                    send(leaseKey, state, dueNanos, done, false);
                });
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                finish(state, done, false);
            }
            return;
        }
        finish(state, done, failed(leaseKey, state, cause));
    }

    /** Settles a renewal once: releases its claim and completes {@code done} (a second call changes nothing). */
    private static void finish(HeldLeaseState state, CompletableFuture<Boolean> done, boolean answered) {
        if (done.isDone()) {
            return;
        }
        state.renewalDone();
        done.complete(answered);
    }

    /** What a failed renewal means; true when DynamoDB answered (the lease is gone). */
    private boolean failed(String leaseKey, HeldLeaseState state, RuntimeException failure) {
        if (failure instanceof LeaseLostException) {
            drop(leaseKey, state, "another worker changed it");
            return true;
        }
        logger.warn("Could not renew lease {}: {}", leaseKey, AwsFailures.describe(failure));
        // Tried again after a fifth of the interval, not at every 100 ms renewer tick: a throttled table gets the
        // pace of retries it got before renewals kept their phase, not five times more.
        state.renewalFailed(System.nanoTime() + renewalIntervalNanos / 5);
        return false;
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    /** Takes in the lease as the requester left it, and tells the consumer to finish (once). */
    private void handoffRequested(String leaseKey, HeldLeaseState state, Lease current) {
        boolean first = !state.lease().isHandoffPending();
        state.handingOver(current);
        if (first) {
            logger.info("Handing lease {} over to {}: finishing its batch, checkpointing, releasing", leaseKey,
                    current.leaseOwner());
            events.handoffRequested(leaseKey);
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

    /**
     * Whether the lease is held in this tenure now: in memory, with this token, and renewed recently enough that no
     * peer can have judged it expired.
     */
    public boolean isHeld(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        return state != null && state.token().equals(token)
                && System.nanoTime() - state.lastWriteNanos() <= heldNanos;
    }

    /** Whether the lease is being handed to another worker (this one drains it). */
    public boolean isHandingOver(String leaseKey) {
        HeldLeaseState state = held.get(leaseKey);
        return state != null && state.lease().isHandoffPending();
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
        if (held.get(leaseKey) != state || !isHeld(leaseKey, token)) {
            throw new LeaseLostException(leaseKey);
        }
        long sent = System.nanoTime();
        try {
            Lease updated;
            try {
                updated = table.checkpoint(state.lease(), checkpoint);
            }
            catch (HandoffRequestedException ex) {
                handoffRequested(leaseKey, state, ex.current());
                sent = System.nanoTime();
                updated = table.checkpoint(state.lease(), checkpoint);
            }
            state.checkpointed(updated, sent, renewalIntervalNanos);
            return updated;
        }
        catch (LeaseLostException ex) {
            drop(leaseKey, state, "another worker changed it");
            throw ex;
        }
    }

    /**
     * Releases a lease held in the given tenure so a peer can take it at once (or, when it is being handed over,
     * completes the handoff).
     */
    public void release(String leaseKey, UUID token) {
        HeldLeaseState state = held.get(leaseKey);
        if (state == null || !state.token().equals(token) || !held.remove(leaseKey, state)) {
            return;
        }
        try {
            try {
                table.release(state.lease());
            }
            catch (HandoffRequestedException ex) {
                handoffRequested(leaseKey, state, ex.current());
                table.release(state.lease());
            }
            logger.info(state.lease().isHandoffPending() ? "Handed lease {} over to {}" : "Released lease {}",
                    leaseKey, state.lease().leaseOwner());
        }
        catch (LeaseLostException ex) {
            logger.info("Lease {} was taken by another worker before it could be released", leaseKey);
        }
        catch (RuntimeException ex) {
            logger.warn("Could not release lease {} ({}); it will expire after the failover time", leaseKey,
                    AwsFailures.describe(ex));
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
}
