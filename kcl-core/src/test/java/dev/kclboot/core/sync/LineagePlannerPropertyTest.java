package dev.kclboot.core.sync;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kinesis.model.Shard;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync plan over seeded random lineage histories (at least five generations of splits and merges) and random
 * states of the lease table (rows absent, in progress or at SHARD_END, with or without recorded children, for listed
 * and expired shards), for every initial position. The lineage facts are computed here from the true history, not
 * with the planner's own graph.
 */
class LineagePlannerPropertyTest {

    private static final StreamRef STREAM = StreamRef.of("stream", false);

    static List<InitialPosition> positions() {
        return List.of(InitialPosition.trimHorizon(), InitialPosition.latest(),
                InitialPosition.atTimestamp(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @ParameterizedTest
    @MethodSource("positions")
    void planRespectsTheLineageRuleOnRandomTables(InitialPosition position) {
        for (int seed = 0; seed < 1500; seed++) {
            Random random = new Random(seed);
            LineageHistory history = new LineageHistory(random, 1 + random.nextInt(3));
            int generations = 5 + random.nextInt(4);
            for (int i = 0; i < generations; i++) {
                history.reshard();
            }
            int retention = 1 + random.nextInt(generations + 1);
            List<Shard> listing = history.listing(retention);
            Set<String> listed = new HashSet<>();
            listing.forEach(shard -> listed.add(shard.shardId()));
            Map<String, Lease> rows = randomRows(random, history, listed);
            SyncPlan plan = new LineagePlanner(position).plan(STREAM, listing, rows.values());
            check(history, listed, rows, plan, position, "seed " + seed);
        }
    }

    /** The properties every plan must have, for any table. */
    static void check(LineageHistory history, Set<String> listed, Map<String, Lease> rows, SyncPlan plan,
            InitialPosition position, String context) {
        Facts facts = new Facts(history, listed, rows);
        Set<String> planned = new HashSet<>();
        for (Lease lease : plan.all()) {
            assertThat(planned.add(lease.leaseKey())).as("%s: %s planned twice", context, lease.leaseKey()).isTrue();
        }
        for (String id : planned) {
            assertThat(facts.isCovered(id)).as("%s: planned %s, which has a row or a leased descendant", context, id)
                    .isFalse();
            for (String ancestor : facts.ancestors(id)) {
                Lease row = rows.get(ancestor);
                assertThat(row != null && !row.isFinished())
                        .as("%s: planned %s below %s, whose lease is not finished", context, id, ancestor).isFalse();
                assertThat(planned).as("%s: planned %s and its ancestor %s", context, id, ancestor)
                        .doesNotContain(ancestor);
            }
            LineageHistory.Node node = history.nodes.get(id);
            if (position.sentinel() == ExtendedSequenceNumber.LATEST && node.closedAt >= 0) {
                assertThat(facts.descendsFromCovered(id))
                        .as("%s: LATEST planned closed shard %s without a leased lineage", context, id).isTrue();
            }
        }
        for (Lease lease : plan.descendantLeases()) {
            assertThat(lease.checkpoint()).as(context).isEqualTo(ExtendedSequenceNumber.TRIM_HORIZON);
        }
        for (Lease lease : plan.newLineageLeases()) {
            assertThat(lease.checkpoint()).as(context).isEqualTo(position.sentinel());
        }
        // Nothing open is forgotten: every open shard has a row, is planned, or waits for an ancestor that will end
        // and create it (a row in progress, or a planned lease).
        for (LineageHistory.Node node : history.open()) {
            if (rows.containsKey(node.id) || planned.contains(node.id)) {
                continue;
            }
            boolean pending = facts.ancestors(node.id).stream().anyMatch(ancestor -> planned.contains(ancestor)
                    || (rows.get(ancestor) != null && !rows.get(ancestor).isFinished()));
            assertThat(pending).as("%s: open shard %s is neither leased, planned nor waiting for an ancestor (rows %s, "
                    + "plan %s)", context, node.id, rows.keySet(), planned).isTrue();
        }
    }

    private static Map<String, Lease> randomRows(Random random, LineageHistory history, Set<String> listed) {
        Map<String, Lease> rows = new HashMap<>();
        for (LineageHistory.Node node : history.nodes.values()) {
            if (!listed.contains(node.id) && random.nextInt(5) != 0) {
                continue;
            }
            int kind = random.nextInt(20);
            if (kind < 8) {
                continue; // No row: never leased, cleaned up, or expired.
            }
            boolean finished = node.closedAt >= 0 && kind >= 13;
            ExtendedSequenceNumber checkpoint = finished ? ExtendedSequenceNumber.SHARD_END
                    : (kind % 2 == 0 ? ExtendedSequenceNumber.TRIM_HORIZON : ExtendedSequenceNumber.of("12345"));
            Set<String> children = finished && random.nextBoolean() ? Set.copyOf(history.childrenOf(node.id)) : Set.of();
            rows.put(node.id, new Lease(node.id, null, 1, 0, checkpoint, null, Set.copyOf(node.parents()), children,
                    node.start.toString(), node.end.toString()));
        }
        return rows;
    }

    /**
     * Lineage facts from the history as far as it can be known: a shard's parents are known when it is listed or has a
     * row (which records them), and a parent's children also from its row's recorded children.
     */
    static final class Facts {

        private final LineageHistory history;

        private final Set<String> listed;

        private final Map<String, Lease> rows;

        private final Map<String, Boolean> covered = new HashMap<>();

        Facts(LineageHistory history, Set<String> listed, Map<String, Lease> rows) {
            this.history = history;
            this.listed = listed;
            this.rows = rows;
        }

        private boolean known(String id) {
            return listed.contains(id) || rows.containsKey(id);
        }

        private List<String> knownParents(String id) {
            if (known(id)) {
                return history.nodes.get(id).parents();
            }
            return history.nodes.get(id).parents().stream()
                    .filter(parent -> rows.get(parent) != null && rows.get(parent).childShardIds().contains(id)).toList();
        }

        private List<String> knownChildren(String id) {
            Lease row = rows.get(id);
            return history.childrenOf(id).stream()
                    .filter(child -> known(child) || (row != null && row.childShardIds().contains(child))).toList();
        }

        boolean isCovered(String id) {
            Boolean known = covered.get(id);
            if (known == null) {
                known = rows.containsKey(id) || knownChildren(id).stream().anyMatch(this::isCovered);
                covered.put(id, known);
            }
            return known;
        }

        boolean descendsFromCovered(String id) {
            return ancestors(id).stream().anyMatch(this::isCovered);
        }

        Set<String> ancestors(String id) {
            Set<String> result = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(knownParents(id));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (result.add(next)) {
                    todo.addAll(knownParents(next));
                }
            }
            return result;
        }
    }
}
