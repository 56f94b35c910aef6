package dev.kclboot.core.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.stream.StreamRef;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The lineage of one stream's shards as far as it is known: the shard listing (parents, adjacent parents, hash
 * ranges, open or closed) joined with the lease rows (which remember parents and children of shards the listing may
 * no longer show). Answers the lineage questions of the sync plan:
 * <ul>
 * <li>{@link #isCovered}: the shard has a lease row, or is an ancestor (at any depth) of a shard with one: it was
 * consumed (and maybe cleaned up), or deliberately skipped. Such a shard is never leased again.</li>
 * <li>{@link #descendsFromCovered}: some ancestor is covered: the shard belongs to a lineage the application has
 * consumed, so it starts at TRIM_HORIZON once its parents are done.</li>
 * <li>{@link #hasUnfinishedAncestor}: some ancestor has a lease row that is not at SHARD_END.</li>
 * </ul>
 * Pure and memoized; built per sync round.
 */
final class ShardGraph {

    private final Map<String, Shard> listed = new HashMap<>();

    private final Map<String, Lease> rows = new HashMap<>();

    private final Map<String, Set<String>> parents = new HashMap<>();

    private final Map<String, Set<String>> children = new HashMap<>();

    private final Map<String, Boolean> covered = new HashMap<>();

    private final Map<String, Boolean> descendsFromCovered = new HashMap<>();

    private final Map<String, Boolean> unfinishedAncestor = new HashMap<>();

    /**
     * @param shards the listing (open and closed shards)
     * @param leases the lease rows of this stream
     * @param stream the stream, for mapping lease keys to shard ids
     */
    ShardGraph(List<Shard> shards, Collection<Lease> leases, StreamRef stream) {
        for (Shard shard : shards) {
            listed.put(shard.shardId(), shard);
        }
        for (Lease lease : leases) {
            rows.put(stream.shardIdOf(lease.leaseKey()), lease);
        }
        for (Shard shard : shards) {
            for (String parent : listedParentsOf(shard)) {
                link(parent, shard.shardId());
            }
        }
        for (Map.Entry<String, Lease> row : rows.entrySet()) {
            if (!listed.containsKey(row.getKey())) {
                // The listing no longer shows the shard: its row remembers its parents.
                row.getValue().parentShardIds().forEach(parent -> link(parent, row.getKey()));
            }
            row.getValue().childShardIds().forEach(child -> link(row.getKey(), child));
        }
    }

    private void link(String parent, String child) {
        parents.computeIfAbsent(child, key -> new LinkedHashSet<>()).add(parent);
        children.computeIfAbsent(parent, key -> new LinkedHashSet<>()).add(child);
    }

    static List<String> listedParentsOf(Shard shard) {
        if (shard.parentShardId() == null) {
            return shard.adjacentParentShardId() == null ? List.of() : List.of(shard.adjacentParentShardId());
        }
        return shard.adjacentParentShardId() == null ? List.of(shard.parentShardId())
                : List.of(shard.parentShardId(), shard.adjacentParentShardId());
    }

    Collection<Shard> listedShards() {
        return listed.values();
    }

    @Nullable Shard shard(String shardId) {
        return listed.get(shardId);
    }

    boolean isListed(String shardId) {
        return listed.containsKey(shardId);
    }

    @Nullable Lease row(String shardId) {
        return rows.get(shardId);
    }

    Set<String> parentsOf(String shardId) {
        return parents.getOrDefault(shardId, Set.of());
    }

    Set<String> childrenOf(String shardId) {
        return children.getOrDefault(shardId, Set.of());
    }

    static boolean isOpen(Shard shard) {
        return shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null;
    }

    /** Has a lease row, or is an ancestor of a shard with one. */
    boolean isCovered(String shardId) {
        Boolean known = covered.get(shardId);
        if (known != null) {
            return known;
        }
        covered.put(shardId, false); // A malformed lineage with a cycle must not recurse forever.
        boolean result = rows.containsKey(shardId) || childrenOf(shardId).stream().anyMatch(this::isCovered);
        covered.put(shardId, result);
        return result;
    }

    /** Some ancestor (at any depth) is covered. */
    boolean descendsFromCovered(String shardId) {
        Boolean known = descendsFromCovered.get(shardId);
        if (known != null) {
            return known;
        }
        descendsFromCovered.put(shardId, false);
        boolean result = parentsOf(shardId).stream().anyMatch(parent -> isCovered(parent) || descendsFromCovered(parent));
        descendsFromCovered.put(shardId, result);
        return result;
    }

    /** Some ancestor (at any depth) has a lease row not at SHARD_END. */
    boolean hasUnfinishedAncestor(String shardId) {
        Boolean known = unfinishedAncestor.get(shardId);
        if (known != null) {
            return known;
        }
        unfinishedAncestor.put(shardId, false);
        boolean result = false;
        for (String parent : parentsOf(shardId)) {
            Lease row = rows.get(parent);
            if ((row != null && !row.isFinished()) || hasUnfinishedAncestor(parent)) {
                result = true;
                break;
            }
        }
        unfinishedAncestor.put(shardId, result);
        return result;
    }
}
