package dev.kclboot.core.sync;

import dev.kclboot.core.stream.StreamRef;
import dev.kclboot.core.stream.ShardLister;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Creates the leases a stream's shards are missing, with their lineage:
 * <ul>
 * <li>a shard whose parent has (or gets) a lease starts at TRIM_HORIZON, so nothing between parent and child is
 * lost and the parent is processed first;</li>
 * <li>a root shard (no leased parent) starts at the initial position; closed roots are skipped for LATEST;</li>
 * <li>a shard none of whose lease exists but one of whose children has a lease is never recreated: it was consumed
 * and cleaned up, or deliberately skipped.</li>
 * </ul>
 * At SHARD_END, {@link #createChildLeases} uses the ChildShards of the GetRecords response instead of a listing.
 */
public class ShardSyncer {

    private static final Logger logger = LoggerFactory.getLogger(ShardSyncer.class);

    private final ShardLister lister;

    private final LeaseTable table;

    private final InitialPosition initialPosition;

    public ShardSyncer(ShardLister lister, LeaseTable table, InitialPosition initialPosition) {
        this.lister = lister;
        this.table = table;
        this.initialPosition = initialPosition;
    }

    /**
     * Lists the stream's shards and creates the missing leases.
     * @param existing the leases of the table as last scanned
     * @return how many leases were created
     */
    public int sync(StreamRef stream, List<Lease> existing) {
        List<Shard> shards = lister.listShards(stream);
        Set<String> leased = existing.stream().filter(lease -> stream.owns(lease.leaseKey()))
                .map(lease -> stream.shardIdOf(lease.leaseKey())).collect(Collectors.toSet());
        Map<String, Lease> toCreate = plan(stream, shards, leased);
        int created = 0;
        for (Lease lease : toCreate.values()) {
            if (table.createLeaseIfNotExists(lease)) {
                created++;
                logger.info("Created lease {} at {} (parents {})", lease.leaseKey(), lease.checkpoint(),
                        lease.parentShardIds());
            }
        }
        return created;
    }

    /** Decides which leases to create; pure, for the rules in the class comment. */
    Map<String, Lease> plan(StreamRef stream, List<Shard> shards, Set<String> leasedShardIds) {
        Map<String, Shard> byId = new HashMap<>();
        Map<String, Set<String>> childrenOf = new HashMap<>();
        for (Shard shard : shards) {
            byId.put(shard.shardId(), shard);
            for (String parent : parentsOf(shard)) {
                childrenOf.computeIfAbsent(parent, key -> new LinkedHashSet<>()).add(shard.shardId());
            }
        }
        Map<String, Lease> toCreate = new java.util.LinkedHashMap<>();
        Map<String, Boolean> decided = new HashMap<>();
        for (Shard shard : shards) {
            decide(stream, shard, byId, childrenOf, leasedShardIds, toCreate, decided);
        }
        return toCreate;
    }

    /** Whether the shard has or gets a lease. */
    private boolean decide(StreamRef stream, Shard shard, Map<String, Shard> byId, Map<String, Set<String>> childrenOf,
            Set<String> leased, Map<String, Lease> toCreate, Map<String, Boolean> decided) {
        String id = shard.shardId();
        Boolean known = decided.get(id);
        if (known != null) {
            return known;
        }
        decided.put(id, false);
        boolean result;
        if (leased.contains(id)) {
            result = true;
        }
        else if (childrenOf.getOrDefault(id, Set.of()).stream().anyMatch(leased::contains)) {
            result = false;
        }
        else {
            Set<String> knownParents = new LinkedHashSet<>();
            boolean parentLeased = false;
            for (String parentId : parentsOf(shard)) {
                Shard parent = byId.get(parentId);
                boolean hasLease = leased.contains(parentId)
                        || (parent != null && decide(stream, parent, byId, childrenOf, leased, toCreate, decided));
                if (parent != null || leased.contains(parentId)) {
                    knownParents.add(parentId);
                }
                parentLeased |= hasLease;
            }
            boolean open = shard.sequenceNumberRange().endingSequenceNumber() == null;
            ExtendedSequenceNumber start = parentLeased ? ExtendedSequenceNumber.TRIM_HORIZON : initialPosition.sentinel();
            result = parentLeased || open || initialPosition.sentinel() != ExtendedSequenceNumber.LATEST;
            if (result) {
                toCreate.put(id, Lease.newLease(stream.leaseKey(id), start, parentLeased ? knownParents : Set.of(),
                        shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey()));
            }
        }
        decided.put(id, result);
        return result;
    }

    /** Creates the leases of the children of a finished shard (TRIM_HORIZON) and records them on the parent. */
    public void createChildLeases(StreamRef stream, String parentShardId, List<ChildShard> children) {
        for (ChildShard child : children) {
            Lease lease = Lease.newLease(stream.leaseKey(child.shardId()), ExtendedSequenceNumber.TRIM_HORIZON,
                    Set.copyOf(child.parentShards()), hashKey(child, true), hashKey(child, false));
            if (table.createLeaseIfNotExists(lease)) {
                logger.info("Created child lease {} of {}", lease.leaseKey(), child.parentShards());
            }
        }
        table.addChildShardIds(stream.leaseKey(parentShardId),
                children.stream().map(ChildShard::shardId).collect(Collectors.toSet()));
    }

    private static @Nullable String hashKey(ChildShard child, boolean starting) {
        if (child.hashKeyRange() == null) {
            return null;
        }
        return starting ? child.hashKeyRange().startingHashKey() : child.hashKeyRange().endingHashKey();
    }

    private static List<String> parentsOf(Shard shard) {
        if (shard.parentShardId() == null) {
            return List.of();
        }
        return shard.adjacentParentShardId() == null ? List.of(shard.parentShardId())
                : List.of(shard.parentShardId(), shard.adjacentParentShardId());
    }
}
