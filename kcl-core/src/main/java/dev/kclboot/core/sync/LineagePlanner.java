package dev.kclboot.core.sync;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Decides which leases a stream is missing, by the KCL's lineage rule (as in its {@code HierarchicalShardSyncer}):
 * walk from every open shard without a lease up through its parents and adjacent parents.
 * <ul>
 * <li>A shard that has a lease row, or is an ancestor of one at any depth, is never leased again: it was consumed
 * (and maybe cleaned up), or deliberately skipped. Only the walk from unleased open shards looks at ancestors, so a
 * finished lineage behind a leased open shard is never looked at at all.</li>
 * <li>A shard below such a lineage (a descendant of a consumed shard) gets a lease at TRIM_HORIZON once each parent
 * is done: its row is at SHARD_END, or it was consumed and cleaned, or it is gone from the listing (its records
 * expired). While a parent is still being processed the child is left to the parent's SHARD_END, which creates it
 * from the GetRecords {@code ChildShards}; no ancestor of a planned lease may have an unfinished row.</li>
 * <li>A lineage without any lease (a new application, or the far side of a merge with a stream part the application
 * never read) starts at the initial position: with TRIM_HORIZON or AT_TIMESTAMP at its oldest listed ancestors (their
 * descendants follow at their SHARD_END), with LATEST at its open shards (a closed shard of such a lineage is never
 * leased: LATEST means its records are not wanted).</li>
 * </ul>
 * Pure: no I/O, deterministic for its inputs.
 */
public final class LineagePlanner {

    private final InitialPosition initialPosition;

    public LineagePlanner(InitialPosition initialPosition) {
        this.initialPosition = initialPosition;
    }

    /**
     * @param stream the stream (for lease keys)
     * @param shards the shard listing, open and closed
     * @param rows the lease rows of this stream
     */
    public SyncPlan plan(StreamRef stream, List<Shard> shards, Collection<Lease> rows) {
        Walk walk = new Walk(stream, new ShardGraph(shards, rows, stream));
        for (Shard shard : shards) {
            if (ShardGraph.isOpen(shard) && walk.graph.row(shard.shardId()) == null) {
                walk.consider(shard.shardId());
            }
        }
        Comparator<Lease> byStart = Comparator.comparing(lease -> startOf(walk.graph, stream, lease));
        List<Lease> descendants = new ArrayList<>(walk.descendants.values());
        List<Lease> roots = new ArrayList<>(walk.newLineage.values());
        descendants.sort(byStart.thenComparing(Lease::leaseKey));
        roots.sort(byStart.thenComparing(Lease::leaseKey));
        return new SyncPlan(descendants, roots);
    }

    private static BigInteger startOf(ShardGraph graph, StreamRef stream, Lease lease) {
        Shard shard = graph.shard(stream.shardIdOf(lease.leaseKey()));
        if (shard == null || shard.sequenceNumberRange() == null
                || shard.sequenceNumberRange().startingSequenceNumber() == null) {
            return BigInteger.ZERO;
        }
        return new BigInteger(shard.sequenceNumberRange().startingSequenceNumber());
    }

    /** One planning pass: memoized decisions and the leases found. */
    private final class Walk {

        private final StreamRef stream;

        private final ShardGraph graph;

        private final Set<String> considered = new HashSet<>();

        private final Map<String, Lease> descendants = new LinkedHashMap<>();

        private final Map<String, Lease> newLineage = new LinkedHashMap<>();

        private final Map<String, Boolean> newLineageDone = new HashMap<>();

        Walk(StreamRef stream, ShardGraph graph) {
            this.stream = stream;
            this.graph = graph;
        }

        /** A shard without a row that an unleased open shard needs (itself, or an ancestor). */
        void consider(String shardId) {
            if (!considered.add(shardId) || graph.isCovered(shardId)) {
                return;
            }
            if (!graph.descendsFromCovered(shardId)) {
                startNewLineage(shardId);
                return;
            }
            boolean ready = !graph.hasUnfinishedAncestor(shardId);
            for (String parent : graph.parentsOf(shardId)) {
                Lease row = graph.row(parent);
                if (row != null) {
                    ready &= row.isFinished();
                }
                else if (graph.isCovered(parent) || !graph.isListed(parent)) {
                    // Consumed and cleaned up, or its records expired: nothing to wait for.
                }
                else if (graph.descendsFromCovered(parent)) {
                    consider(parent);
                    ready = false;
                }
                else if (initialPosition.sentinel() == ExtendedSequenceNumber.LATEST) {
                    // The far side of a merge, never read: LATEST does not want its records.
                }
                else {
                    startNewLineage(parent);
                    ready = false;
                }
            }
            if (ready) {
                descendants.put(shardId, lease(shardId, ExtendedSequenceNumber.TRIM_HORIZON));
            }
        }

        /** A shard none of whose ancestors is covered: its lineage starts at the initial position. */
        private void startNewLineage(String shardId) {
            if (newLineageDone.put(shardId, true) != null) {
                return;
            }
            Shard shard = graph.shard(shardId);
            if (shard == null) {
                return;
            }
            if (initialPosition.sentinel() == ExtendedSequenceNumber.LATEST) {
                if (ShardGraph.isOpen(shard)) {
                    newLineage.put(shardId, lease(shardId, ExtendedSequenceNumber.LATEST));
                }
                return;
            }
            List<String> listedParents = graph.parentsOf(shardId).stream().filter(graph::isListed).toList();
            if (listedParents.isEmpty()) {
                newLineage.put(shardId, lease(shardId, initialPosition.sentinel()));
                return;
            }
            listedParents.forEach(this::startNewLineage);
        }

        private Lease lease(String shardId, ExtendedSequenceNumber start) {
            Shard shard = graph.shard(shardId);
            String startingHashKey = null;
            String endingHashKey = null;
            if (shard != null && shard.hashKeyRange() != null) {
                startingHashKey = shard.hashKeyRange().startingHashKey();
                endingHashKey = shard.hashKeyRange().endingHashKey();
            }
            Set<String> parents = shard == null ? graph.parentsOf(shardId) : Set.copyOf(ShardGraph.listedParentsOf(shard));
            return Lease.newLease(stream.leaseKey(shardId), start, parents, startingHashKey, endingHashKey);
        }
    }
}
