package dev.kclboot.core.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

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

    @Test
    void aLoneWorkerTakesEveryFreeLease() {
        assertThat(taker.selectLeasesToTake(leases(4, null, 0), lease -> false)).hasSize(4);
    }

    @Test
    void takesItsFairShareOfFreeLeasesFirst() {
        List<Lease> scanned = new ArrayList<>(leases(2, "other", 0));
        scanned.addAll(leases(2, null, 2));
        assertThat(taker.selectLeasesToTake(scanned, lease -> lease.isFree()))
                .extracting(Lease::leaseKey).containsExactlyInAnyOrder("shard-2", "shard-3");
    }

    @Test
    void takesExpiredLeasesOfSilentWorkers() {
        List<Lease> scanned = leases(4, "crashed", 0);
        assertThat(taker.selectLeasesToTake(scanned, lease -> true)).hasSize(4);
    }

    @Test
    void stealsOneLeaseAtATimeFromTheMostLoadedWorker() {
        List<Lease> scanned = leases(4, "busy", 0);
        List<Lease> taken = taker.selectLeasesToTake(scanned, lease -> false);
        assertThat(taken).singleElement().satisfies(lease -> assertThat(lease.leaseOwner()).isEqualTo("busy"));
    }

    @Test
    void doesNotStealWhenTheDifferenceIsOnlyOne() {
        List<Lease> scanned = new ArrayList<>(leases(3, "other", 0));
        scanned.addAll(leases(2, "me", 3));
        assertThat(taker.selectLeasesToTake(scanned, lease -> false)).isEmpty();
    }

    @Test
    void ignoresFinishedLeasesAndRespectsMaxLeasesPerWorker() {
        List<Lease> scanned = new ArrayList<>(leases(6, null, 0));
        scanned.add(new Lease("done", null, 1, 0, ExtendedSequenceNumber.SHARD_END, null, Set.of(), Set.of(), null, null));
        LeaseTaker capped = new LeaseTaker("me", 2, 1, new Random(1));
        assertThat(capped.selectLeasesToTake(scanned, lease -> false)).hasSize(2)
                .noneMatch(lease -> lease.leaseKey().equals("done"));
    }

    @Test
    void takesNothingWhenItHoldsItsShare() {
        List<Lease> scanned = new ArrayList<>(leases(2, "other", 0));
        scanned.addAll(leases(2, "me", 2));
        assertThat(taker.selectLeasesToTake(scanned, lease -> false)).isEmpty();
    }
}
