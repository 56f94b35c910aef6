package dev.kclboot.core.lease;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseCleanerTest {

    private static Lease lease(String key, ExtendedSequenceNumber checkpoint, Set<String> children) {
        return new Lease(key, null, 4, 0, checkpoint, null, Set.of(), children, null, null);
    }

    @Test
    void deletesAFinishedParentOnceEveryChildStarted() {
        Lease parent = lease("P", ExtendedSequenceNumber.SHARD_END, Set.of("C1", "C2"));
        Lease started = lease("C1", ExtendedSequenceNumber.of("42"), Set.of());
        Lease finished = lease("C2", ExtendedSequenceNumber.SHARD_END, Set.of());
        Lease waiting = lease("C2", ExtendedSequenceNumber.TRIM_HORIZON, Set.of());
        assertThat(LeaseCleaner.deletable(List.of(parent, started, finished), Map.of())).containsExactly(parent);
        assertThat(LeaseCleaner.deletable(List.of(parent, started, waiting), Map.of())).isEmpty();
        assertThat(LeaseCleaner.deletable(List.of(parent, started), Map.of())).as("C2 has no row yet").isEmpty();
    }

    @Test
    void aFinishedLeaseWithoutRecordedChildrenUsesTheListingOrIsKept() {
        Lease parent = lease("P", ExtendedSequenceNumber.SHARD_END, Set.of());
        Lease child = lease("C", ExtendedSequenceNumber.of("1"), Set.of());
        assertThat(LeaseCleaner.deletable(List.of(parent, child), Map.of("P", Set.of("C")))).containsExactly(parent);
        assertThat(LeaseCleaner.deletable(List.of(parent, child), Map.of())).isEmpty();
    }

    @Test
    void neverDeletesALeaseInProgress() {
        Lease parent = lease("P", ExtendedSequenceNumber.of("5"), Set.of("C"));
        assertThat(LeaseCleaner.deletable(List.of(parent, lease("C", ExtendedSequenceNumber.of("1"), Set.of())),
                Map.of())).isEmpty();
    }

    @Test
    void randomTablesNeverLoseALeaseWhoseChildrenHaveNotAllStarted() {
        Random random = new Random(11);
        ExtendedSequenceNumber[] checkpoints = { ExtendedSequenceNumber.TRIM_HORIZON, ExtendedSequenceNumber.LATEST,
                ExtendedSequenceNumber.AT_TIMESTAMP, ExtendedSequenceNumber.of("9"), ExtendedSequenceNumber.SHARD_END };
        for (int round = 0; round < 5000; round++) {
            int size = 1 + random.nextInt(12);
            List<Lease> rows = new ArrayList<>();
            Map<String, Set<String>> listed = new HashMap<>();
            for (int i = 0; i < size; i++) {
                Set<String> children = random.nextBoolean() ? Set.of("s" + random.nextInt(15), "s" + (15 + random.nextInt(3)))
                        : Set.of();
                rows.add(lease("s" + i, checkpoints[random.nextInt(checkpoints.length)], children));
                if (random.nextBoolean()) {
                    listed.put("s" + i, Set.of("s" + random.nextInt(15)));
                }
            }
            Map<String, Lease> byKey = new HashMap<>();
            rows.forEach(row -> byKey.putIfAbsent(row.leaseKey(), row));
            for (Lease deleted : LeaseCleaner.deletable(rows, listed)) {
                assertThat(deleted.isFinished()).isTrue();
                Set<String> children = deleted.childShardIds().isEmpty() ? listed.get(deleted.leaseKey())
                        : deleted.childShardIds();
                assertThat(children).isNotEmpty();
                for (String child : children) {
                    assertThat(byKey.get(child)).as("child %s of %s", child, deleted.leaseKey()).isNotNull();
                    assertThat(byKey.get(child).isUnstarted()).isFalse();
                }
            }
        }
    }
}
