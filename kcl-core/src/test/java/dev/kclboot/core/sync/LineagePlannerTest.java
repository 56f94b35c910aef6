package dev.kclboot.core.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lineage rule on the cases that matter, by hand: scale up then down (the re-read of issue 10), children of a
 * finished parent whose creation failed, a new application, the KCL's own example.
 */
class LineagePlannerTest {

    private static final StreamRef STREAM = StreamRef.of("stream", false);

    private static final InitialPosition TRIM_HORIZON = InitialPosition.trimHorizon();

    private static final InitialPosition LATEST = InitialPosition.latest();

    private static final InitialPosition AT_TIMESTAMP = InitialPosition.atTimestamp(Instant.parse("2026-01-01T00:00:00Z"));

    private final List<Shard> shards = new ArrayList<>();

    private int sequence = 100;

    private void shard(String id, @Nullable String parent, @Nullable String adjacent, boolean open) {
        int start = sequence;
        sequence += 100;
        shards.add(Shard.builder().shardId(id).parentShardId(parent).adjacentParentShardId(adjacent)
                .hashKeyRange(HashKeyRange.builder().startingHashKey("0").endingHashKey("100").build())
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber(String.valueOf(start))
                        .endingSequenceNumber(open ? null : String.valueOf(start + 99)).build())
                .build());
    }

    private static Lease row(String id, ExtendedSequenceNumber checkpoint, String... parents) {
        return new Lease(id, null, 3, 0, checkpoint, null, Set.of(parents), Set.of(), null, null);
    }

    private List<String> plan(InitialPosition position, Lease... rows) {
        return new LineagePlanner(position).plan(STREAM, shards, List.of(rows)).all().stream().map(Lease::leaseKey)
                .toList();
    }

    /** P splits into C1 and C2, which merge into M; only M is leased (P, C1, C2 were consumed and cleaned up). */
    @Test
    void aConsumedAndCleanedLineageIsNeverLeasedAgain() {
        shard("P", null, null, false);
        shard("C1", "P", null, false);
        shard("C2", "P", null, false);
        shard("M", "C1", "C2", true);
        Lease m = row("M", ExtendedSequenceNumber.of("12345"), "C1", "C2");
        assertThat(plan(TRIM_HORIZON, m)).isEmpty();
        assertThat(plan(AT_TIMESTAMP, m)).isEmpty();
        assertThat(plan(LATEST, m)).isEmpty();
    }

    /** Scale up, down and up again: only the newest split's children are missing, and only once M ended. */
    @Test
    void childrenOfAFinishedParentAreCreatedAtTrimHorizonEvenIfTheirCreationFailedAtShardEnd() {
        shard("P", null, null, false);
        shard("C1", "P", null, false);
        shard("C2", "P", null, false);
        shard("M", "C1", "C2", false);
        shard("D1", "M", null, true);
        shard("D2", "M", null, true);
        Lease finished = row("M", ExtendedSequenceNumber.SHARD_END, "C1", "C2");
        List<Lease> plan = new LineagePlanner(TRIM_HORIZON).plan(STREAM, shards, List.of(finished)).all();
        assertThat(plan).extracting(Lease::leaseKey).containsExactly("D1", "D2");
        assertThat(plan).allSatisfy(lease -> {
            assertThat(lease.checkpoint()).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
            assertThat(lease.parentShardIds()).containsExactly("M");
        });
        Lease inProgress = row("M", ExtendedSequenceNumber.of("555"), "C1", "C2");
        assertThat(plan(TRIM_HORIZON, inProgress)).as("M's SHARD_END creates them").isEmpty();
    }

    @Test
    void aNewApplicationStartsAtTheOldestListedAncestorsOrAtTheOpenShardsForLatest() {
        shard("P", null, null, false);
        shard("C1", "P", null, true);
        shard("C2", "P", null, false);
        shard("G1", "C2", null, true);
        shard("G2", "C2", null, true);
        assertThat(plan(TRIM_HORIZON)).containsExactly("P");
        assertThat(plan(AT_TIMESTAMP)).containsExactly("P");
        assertThat(plan(LATEST)).containsExactlyInAnyOrder("C1", "G1", "G2");
        assertThat(new LineagePlanner(LATEST).plan(STREAM, shards, List.of()).all())
                .allSatisfy(lease -> assertThat(lease.checkpoint()).isEqualTo(ExtendedSequenceNumber.LATEST));
        assertThat(new LineagePlanner(AT_TIMESTAMP).plan(STREAM, shards, List.of()).all())
                .allSatisfy(lease -> assertThat(lease.checkpoint()).isEqualTo(ExtendedSequenceNumber.AT_TIMESTAMP));
    }

    /**
     * The KCL's example: shards 0..5 at first; 6 = merge(0, 1), 7 = merge(2, 3); 8 = merge(6, 7), 9 and 10 split from
     * 5; 4 open throughout. Leases exist for 4, 5 (in progress) and 7 (finished).
     */
    @Test
    void theKclExample() {
        for (String root : List.of("0", "1", "2", "3", "5")) {
            shard(root, null, null, false);
        }
        shard("4", null, null, true);
        shard("6", "0", "1", false);
        shard("7", "2", "3", false);
        shard("8", "6", "7", true);
        shard("9", "5", null, true);
        shard("10", "5", null, true);
        Lease four = row("4", ExtendedSequenceNumber.of("10"));
        Lease five = row("5", ExtendedSequenceNumber.of("20"));
        Lease seven = row("7", ExtendedSequenceNumber.SHARD_END, "2", "3");
        // TRIM_HORIZON: the far side of the merge (0, 1, never read) from its oldest shards; 8 waits for 6.
        assertThat(plan(TRIM_HORIZON, four, five, seven)).containsExactlyInAnyOrder("0", "1");
        // LATEST: 6's lineage is not wanted, 7 is done: 8 may start; 9 and 10 wait for 5's end.
        assertThat(plan(LATEST, four, five, seven)).containsExactly("8");
    }

    @Test
    void aParentWhoseRecordsExpiredIsNothingToWaitFor() {
        // Q expired from the listing without a lease; its sibling-side parent R is finished.
        shard("R", null, null, false);
        shard("M", "Q", "R", true);
        assertThat(plan(TRIM_HORIZON, row("R", ExtendedSequenceNumber.SHARD_END))).containsExactly("M");
    }

    @Test
    void aShardBelowAnUnfinishedAncestorWaitsEvenWhenItsDirectParentWasCleanedUp() {
        shard("A", null, null, false);
        shard("B", "A", null, false);
        shard("C", "B", null, false);
        shard("D", "C", null, true);
        shard("E", "B", null, true);
        // A's row says it is not finished (a table no history of ours leaves behind); B was cleaned up.
        Lease a = row("A", ExtendedSequenceNumber.of("7"));
        Lease c = row("C", ExtendedSequenceNumber.SHARD_END, "B");
        assertThat(plan(TRIM_HORIZON, a, c)).as("nothing below an unfinished lease").isEmpty();
        assertThat(plan(TRIM_HORIZON, row("A", ExtendedSequenceNumber.SHARD_END), c)).containsExactlyInAnyOrder("D", "E");
    }
}
