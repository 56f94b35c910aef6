package dev.kclboot.core.lease;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Decides which leases a worker should take in one round, from a scan of the table. Pure logic, no I/O.
 * <ul>
 * <li>Finished leases (checkpoint SHARD_END) and waiting ones (a child whose parent lease is not finished: parents
 * first) are neither counted nor taken, so a worker never fills its quota with children it cannot process.</li>
 * <li>Leases this worker must not take now (its per-shard backoff after a consumer failure) count for the balance but
 * are not taken.</li>
 * <li>Live workers are this one plus every owner of a lease that is not expired; the target is
 * ceil(leases / live workers), capped by max-leases-per-worker.</li>
 * <li>Free leases are taken first, then expired ones, in random order so that workers starting together spread.</li>
 * <li>Only when nothing is free or expired: steal from the most loaded worker, at most max-leases-to-steal, and only
 * when it holds at least two more than this worker (so two workers never trade a lease back and forth).</li>
 * </ul>
 */
final class LeaseTaker {

    private final String workerId;

    private final int maxLeasesPerWorker;

    private final int maxLeasesToSteal;

    private final Random random;

    LeaseTaker(String workerId, int maxLeasesPerWorker, int maxLeasesToSteal, Random random) {
        this.workerId = workerId;
        this.maxLeasesPerWorker = maxLeasesPerWorker;
        this.maxLeasesToSteal = maxLeasesToSteal;
        this.random = random;
    }

    /**
     * @param scanned the leases of the streams this worker consumes
     * @param expired whether a lease of another worker is expired
     * @param waiting whether a lease waits for its parents
     * @param excluded whether this worker must not take a lease now
     */
    List<Lease> selectLeasesToTake(List<Lease> scanned, Predicate<Lease> expired, Predicate<Lease> waiting,
            Predicate<Lease> excluded) {
        List<Lease> candidates = scanned.stream().filter(lease -> !lease.isFinished() && !waiting.test(lease)).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<String, List<Lease>> liveByOwner = new HashMap<>();
        liveByOwner.put(workerId, new ArrayList<>());
        List<Lease> free = new ArrayList<>();
        List<Lease> expiredLeases = new ArrayList<>();
        for (Lease lease : candidates) {
            if (lease.isFree()) {
                if (!excluded.test(lease)) {
                    free.add(lease);
                }
            }
            else if (lease.isOwnedBy(workerId)) {
                liveByOwner.get(workerId).add(lease);
            }
            else if (expired.test(lease)) {
                if (!excluded.test(lease)) {
                    expiredLeases.add(lease);
                }
            }
            else {
                liveByOwner.computeIfAbsent(lease.leaseOwner(), owner -> new ArrayList<>()).add(lease);
            }
        }
        int workers = liveByOwner.size();
        int target = Math.min(maxLeasesPerWorker, (candidates.size() + workers - 1) / workers);
        int mine = liveByOwner.get(workerId).size();
        int needed = target - mine;
        if (needed <= 0) {
            return List.of();
        }
        Collections.shuffle(free, random);
        Collections.shuffle(expiredLeases, random);
        List<Lease> available = new ArrayList<>(free);
        available.addAll(expiredLeases);
        if (!available.isEmpty()) {
            return List.copyOf(available.subList(0, Math.min(needed, available.size())));
        }
        return leasesToSteal(liveByOwner, mine, needed, excluded);
    }

    private List<Lease> leasesToSteal(Map<String, List<Lease>> liveByOwner, int mine, int needed,
            Predicate<Lease> excluded) {
        var mostLoaded = liveByOwner.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(workerId))
                .max(Comparator.comparingInt(entry -> entry.getValue().size()));
        if (mostLoaded.isEmpty() || mostLoaded.get().getValue().size() - mine < 2) {
            return List.of();
        }
        int theirCount = mostLoaded.get().getValue().size();
        List<Lease> theirs = new ArrayList<>(mostLoaded.get().getValue().stream().filter(lease -> !excluded.test(lease))
                .toList());
        Collections.shuffle(theirs, random);
        int count = Math.min(Math.min(Math.min(needed, maxLeasesToSteal), (theirCount - mine) / 2), theirs.size());
        return List.copyOf(theirs.subList(0, Math.max(0, count)));
    }
}
