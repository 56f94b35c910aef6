package dev.kclboot.core.lease;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseTakerTest {

    private final LeaseTaker taker = new LeaseTaker("me", Integer.MAX_VALUE, 1, new Random(7));

    private static Lease lease(String key, @Nullable String owner) {
        return new Lease(key, owner, 5, 0, ExtendedSequenceNumber.TRIM_HORIZON, null, Set.of(), Set.of(), null, null);
    }

    private static List<Lease> leases(int count, @Nullable String owner, int offset) {
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leases.add(lease("shard-" + (offset + i), owner));
        }
        return leases;
    }

    private static List<Lease> select(LeaseTaker taker, List<Lease> scanned, Predicate<Lease> expired) {
        return taker.selectLeasesToTake(scanned, expired, lease -> false, lease -> false);
    }

    private static Lease child(String key, String parent) {
        return new Lease(key, null, 1, 0, ExtendedSequenceNumber.TRIM_HORIZON, null, Set.of(parent), Set.of(), null, null);
    }

    @Test
    void waitingChildrenAreNeitherTakenNorCounted() {
        // Two workers, two open parents held by the other, four children waiting: the children count for nothing,
        // so the target is 1 of the 2 parents (not 3 of 6), reached by stealing one parent.
        List<Lease> scanned = new ArrayList<>(leases(2, "other", 0));
        for (int i = 0; i < 4; i++) {
            scanned.add(child("child-" + i, "shard-" + (i % 2)));
        }
        Map<String, Lease> byKey = new HashMap<>();
        scanned.forEach(lease -> byKey.put(lease.leaseKey(), lease));
        List<Lease> taken = taker.selectLeasesToTake(scanned, lease -> false,
                lease -> ParentsFirst.isWaiting(lease, byKey), lease -> false);
        assertThat(taken).singleElement().satisfies(lease -> assertThat(lease.leaseKey()).startsWith("shard-"));
    }

    @Test
    void aChildWhoseParentsAreFinishedOrGoneIsTaken() {
        Lease parent = new Lease("parent", null, 3, 0, ExtendedSequenceNumber.SHARD_END, null, Set.of(), Set.of("c1"),
                null, null);
        List<Lease> scanned = List.of(parent, child("c1", "parent"), child("c2", "cleaned-up"));
        Map<String, Lease> byKey = new HashMap<>();
        scanned.forEach(lease -> byKey.put(lease.leaseKey(), lease));
        List<Lease> taken = taker.selectLeasesToTake(scanned, lease -> false,
                lease -> ParentsFirst.isWaiting(lease, byKey), lease -> false);
        assertThat(taken).extracting(Lease::leaseKey).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void excludedLeasesCountForTheBalanceButAreNotTaken() {
        List<Lease> scanned = new ArrayList<>(leases(3, null, 0));
        scanned.addAll(leases(3, "other", 3));
        List<Lease> taken = taker.selectLeasesToTake(scanned, lease -> false, lease -> false,
                lease -> lease.leaseKey().equals("shard-0"));
        assertThat(taken).extracting(Lease::leaseKey).containsExactlyInAnyOrder("shard-1", "shard-2");
    }

    @Test
    void anExcludedLeaseIsNotStolen() {
        List<Lease> scanned = leases(4, "busy", 0);
        List<Lease> taken = taker.selectLeasesToTake(scanned, lease -> false, lease -> false,
                lease -> !lease.leaseKey().equals("shard-3"));
        assertThat(taken).extracting(Lease::leaseKey).containsExactly("shard-3");
    }

    /** Over random scans: what is selected is always takeable and never more than this worker's share. */
    @Test
    void randomScansNeverSelectWhatMustNotBeTakenNorMoreThanTheShare() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            List<Lease> scanned = new ArrayList<>();
            int count = random.nextInt(30);
            String[] owners = { null, "me", "a", "b", "c" };
            for (int i = 0; i < count; i++) {
                String owner = owners[random.nextInt(owners.length)];
                ExtendedSequenceNumber checkpoint = random.nextInt(5) == 0 ? ExtendedSequenceNumber.SHARD_END
                        : ExtendedSequenceNumber.TRIM_HORIZON;
                Set<String> parents = random.nextInt(3) == 0 ? Set.of("s" + random.nextInt(30)) : Set.of();
                scanned.add(new Lease("s" + i, owner, random.nextInt(5), 0, checkpoint, null, parents, Set.of(), null,
                        null));
            }
            Map<String, Lease> byKey = new HashMap<>();
            scanned.forEach(lease -> byKey.put(lease.leaseKey(), lease));
            Set<String> expiredOwners = random.nextBoolean() ? Set.of("a") : Set.of();
            Set<String> excludedKeys = new java.util.HashSet<>(List.of("s" + random.nextInt(30), "s" + random.nextInt(30)));
            int max = 1 + random.nextInt(10);
            LeaseTaker capped = new LeaseTaker("me", max, 1 + random.nextInt(3), new Random(round));
            Predicate<Lease> waiting = lease -> ParentsFirst.isWaiting(lease, byKey);
            List<Lease> taken = capped.selectLeasesToTake(scanned,
                    lease -> expiredOwners.contains(lease.leaseOwner()), waiting,
                    lease -> excludedKeys.contains(lease.leaseKey()));
            long mine = scanned.stream().filter(lease -> lease.isOwnedBy("me") && !lease.isFinished()
                    && !waiting.test(lease)).count();
            assertThat(taken).allSatisfy(lease -> {
                assertThat(lease.isFinished()).isFalse();
                assertThat(waiting.test(lease)).isFalse();
                assertThat(excludedKeys).doesNotContain(lease.leaseKey());
                assertThat(lease.isOwnedBy("me")).isFalse();
            });
            assertThat(taken).doesNotHaveDuplicates();
            assertThat(mine + taken.size()).isLessThanOrEqualTo(Math.max(mine, max));
        }
    }

    @Test
    void aLoneWorkerTakesEveryFreeLease() {
        assertThat(select(taker, leases(4, null, 0), lease -> false)).hasSize(4);
    }

    @Test
    void takesItsFairShareOfFreeLeasesFirst() {
        List<Lease> scanned = new ArrayList<>(leases(2, "other", 0));
        scanned.addAll(leases(2, null, 2));
        assertThat(select(taker, scanned, lease -> lease.isFree()))
                .extracting(Lease::leaseKey).containsExactlyInAnyOrder("shard-2", "shard-3");
    }

    @Test
    void takesExpiredLeasesOfSilentWorkers() {
        List<Lease> scanned = leases(4, "crashed", 0);
        assertThat(select(taker, scanned, lease -> true)).hasSize(4);
    }

    @Test
    void stealsOneLeaseAtATimeFromTheMostLoadedWorker() {
        List<Lease> scanned = leases(4, "busy", 0);
        List<Lease> taken = select(taker, scanned, lease -> false);
        assertThat(taken).singleElement().satisfies(lease -> assertThat(lease.leaseOwner()).isEqualTo("busy"));
    }

    @Test
    void doesNotStealWhenTheDifferenceIsOnlyOne() {
        List<Lease> scanned = new ArrayList<>(leases(3, "other", 0));
        scanned.addAll(leases(2, "me", 3));
        assertThat(select(taker, scanned, lease -> false)).isEmpty();
    }

    @Test
    void ignoresFinishedLeasesAndRespectsMaxLeasesPerWorker() {
        List<Lease> scanned = new ArrayList<>(leases(6, null, 0));
        scanned.add(new Lease("done", null, 1, 0, ExtendedSequenceNumber.SHARD_END, null, Set.of(), Set.of(), null, null));
        LeaseTaker capped = new LeaseTaker("me", 2, 1, new Random(1));
        assertThat(select(capped, scanned, lease -> false)).hasSize(2)
                .noneMatch(lease -> lease.leaseKey().equals("done"));
    }

    @Test
    void takesNothingWhenItHoldsItsShare() {
        List<Lease> scanned = new ArrayList<>(leases(2, "other", 0));
        scanned.addAll(leases(2, "me", 2));
        assertThat(select(taker, scanned, lease -> false)).isEmpty();
    }
}
