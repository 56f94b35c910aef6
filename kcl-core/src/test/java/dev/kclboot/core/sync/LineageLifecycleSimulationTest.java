package dev.kclboot.core.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCleaner;
import dev.kclboot.core.lease.ParentsFirst;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the lease lifecycle over a stream's whole life, in memory: shard sync (the real planner), processing of every
 * lease the parents-first rule allows (closed shards to SHARD_END, creating their children as the consumer does from
 * ChildShards, or from the listing for an expired shard), and cleanup (the real cleaner's choice, applied at random),
 * interleaved with random splits and merges over at least five generations and shards expiring from the listing.
 * Then it checks what a user sees: every shard read exactly once, parents before children, nothing re-read after it
 * was finished and cleaned up, and with LATEST nothing older than the application.
 */
class LineageLifecycleSimulationTest {

    private static final StreamRef STREAM = StreamRef.of("stream", false);

    static List<InitialPosition> positions() {
        return LineagePlannerPropertyTest.positions();
    }

    @ParameterizedTest
    @MethodSource("positions")
    void everyShardIsReadOnceInLineageOrder(InitialPosition position) {
        for (int seed = 0; seed < 400; seed++) {
            new Run(new Random(seed), position, "seed " + seed).run();
        }
    }

    private static final class Run {

        private final Random random;

        private final InitialPosition position;

        private final String context;

        private final LineageHistory history;

        private final int retention;

        private final Map<String, Lease> rows = new LinkedHashMap<>();

        /** Shards in the order their processing ended (closed shards) or began (open shards). */
        private final List<String> order = new ArrayList<>();

        private final Map<String, Integer> reads = new HashMap<>();

        /** Shards processed from LATEST: no record of theirs older than the start is read. */
        private final Set<String> fromLatest = new HashSet<>();

        private final Set<String> started = new HashSet<>();

        private final Set<String> listedAtStart = new HashSet<>();

        private final Set<String> openAtStart = new HashSet<>();

        private int startStep;

        Run(Random random, InitialPosition position, String context) {
            this.random = random;
            this.position = position;
            this.context = context;
            this.history = new LineageHistory(random, 1 + random.nextInt(3));
            this.retention = 3 + random.nextInt(4);
        }

        void run() {
            int before = random.nextInt(4);
            for (int i = 0; i < before; i++) {
                history.reshard();
            }
            startStep = history.step();
            history.listing(retention).forEach(shard -> listedAtStart.add(shard.shardId()));
            history.open().forEach(node -> openAtStart.add(node.id));
            int generations = 5 + random.nextInt(4);
            for (int generation = 0; generation < generations; generation++) {
                int rounds = 1 + random.nextInt(3);
                for (int round = 0; round < rounds; round++) {
                    round();
                }
                history.reshard();
            }
            for (int round = 0; round < 50; round++) {
                round();
            }
            verify();
        }

        private void round() {
            List<Shard> listing = history.listing(retention);
            Set<String> listed = new HashSet<>();
            listing.forEach(shard -> listed.add(shard.shardId()));
            SyncPlan plan = new LineagePlanner(position).plan(STREAM, listing, rows.values());
            LineagePlannerPropertyTest.check(history, listed, rows, plan, position, context);
            for (Lease lease : plan.all()) {
                assertThat(rows.putIfAbsent(lease.leaseKey(), lease)).as("%s: plan repeats a row", context).isNull();
            }
            for (Lease lease : new ArrayList<>(rows.values())) {
                if (!lease.isFinished() && !ParentsFirst.isWaiting(lease, rows) && random.nextInt(4) != 0) {
                    process(lease, listed);
                }
            }
            if (random.nextBoolean()) {
                Map<String, Lease> scanned = new HashMap<>(rows);
                for (Lease deletable : LeaseCleaner.deletable(new ArrayList<>(rows.values()),
                        ShardSyncer.childrenByParent(STREAM, listing))) {
                    for (String child : deletable.childShardIds()) {
                        assertThat(scanned.get(child)).as("%s: cleaner deletes %s before child %s exists", context,
                                deletable.leaseKey(), child).isNotNull();
                        assertThat(scanned.get(child).isUnstarted()).as("%s: cleaner deletes %s before child %s started",
                                context, deletable.leaseKey(), child).isFalse();
                    }
                    if (random.nextInt(3) != 0) {
                        rows.remove(deletable.leaseKey());
                    }
                }
            }
        }

        private void process(Lease lease, Set<String> listed) {
            String id = lease.leaseKey();
            LineageHistory.Node node = history.nodes.get(id);
            for (String parent : node.parents()) {
                assertThat(order.contains(parent) || !reads.containsKey(parent))
                        .as("%s: %s processed before its parent %s ended", context, id, parent).isTrue();
            }
            if (started.add(id)) {
                if (lease.checkpoint() == ExtendedSequenceNumber.LATEST) {
                    fromLatest.add(id);
                }
                reads.merge(id, 1, Integer::sum);
            }
            if (node.closedAt < 0) {
                if (!order.contains(id)) {
                    order.add(id);
                }
                rows.put(id, checkpointed(lease, ExtendedSequenceNumber.of("100")));
                return;
            }
            // Shard end: children from ChildShards, or from the listing when the shard expired (not found).
            List<String> children = listed.contains(id) ? history.childrenOf(id)
                    : history.childrenOf(id).stream().filter(listed::contains).toList();
            for (String child : children) {
                LineageHistory.Node childNode = history.nodes.get(child);
                ExtendedSequenceNumber start = lease.checkpoint() == ExtendedSequenceNumber.AT_TIMESTAMP
                        ? ExtendedSequenceNumber.AT_TIMESTAMP : ExtendedSequenceNumber.TRIM_HORIZON;
                rows.putIfAbsent(child, Lease.newLease(child, start, Set.copyOf(childNode.parents()),
                        childNode.start.toString(), childNode.end.toString()));
            }
            Lease ended = checkpointed(lease, ExtendedSequenceNumber.SHARD_END);
            rows.put(id, new Lease(id, null, ended.leaseCounter(), 0, ended.checkpoint(), null, ended.parentShardIds(),
                    Set.copyOf(children), ended.startingHashKey(), ended.endingHashKey()));
            order.add(id);
        }

        private static Lease checkpointed(Lease lease, ExtendedSequenceNumber checkpoint) {
            return new Lease(lease.leaseKey(), null, lease.leaseCounter() + 1, 0, checkpoint, null,
                    lease.parentShardIds(), lease.childShardIds(), lease.startingHashKey(), lease.endingHashKey());
        }

        private void verify() {
            for (Map.Entry<String, Integer> read : reads.entrySet()) {
                assertThat(read.getValue()).as("%s: shard %s read %d times", context, read.getKey(), read.getValue())
                        .isEqualTo(1);
            }
            for (LineageHistory.Node node : history.open()) {
                assertThat(started).as("%s: open shard %s never consumed", context, node.id).contains(node.id);
            }
            for (LineageHistory.Node node : history.nodes.values()) {
                boolean bornAfterStart = node.openedAt > startStep;
                boolean wanted = bornAfterStart || (position.sentinel() == ExtendedSequenceNumber.LATEST
                        ? openAtStart.contains(node.id) : listedAtStart.contains(node.id));
                if (wanted) {
                    assertThat(started).as("%s: shard %s was never read (opened at %d, app started at %d)", context,
                            node.id, node.openedAt, startStep).contains(node.id);
                }
                if (position.sentinel() == ExtendedSequenceNumber.LATEST && !bornAfterStart
                        && !openAtStart.contains(node.id)) {
                    assertThat(started).as("%s: LATEST read %s, closed before the start", context, node.id)
                            .doesNotContain(node.id);
                }
                if (bornAfterStart) {
                    assertThat(fromLatest).as("%s: %s, born after the start, was read from LATEST", context, node.id)
                            .doesNotContain(node.id);
                }
            }
        }
    }
}
