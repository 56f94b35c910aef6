package dev.kclboot.core.sync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.stream.ShardLister;
import dev.kclboot.core.stream.StreamRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Creates the leases of the children of a shard that reached its end, before the parent is checkpointed at SHARD_END
 * (as the KCL does), and records them in the parent's {@code childShardIds}. The children come from the GetRecords
 * {@code ChildShards}; when that list is empty (a shard whose records expired, an older service) from a shard listing.
 * Children start at TRIM_HORIZON, so nothing between parent and child is lost; in an application started AT_TIMESTAMP
 * a child of a parent that never got past that position starts AT_TIMESTAMP too, so the records before the timestamp
 * stay skipped. One attempt per call: the consumer retries with backoff.
 */
public class ChildLeases {

    private static final Logger logger = LoggerFactory.getLogger(ChildLeases.class);

    private final LeaseTable table;

    private final ShardLister lister;

    public ChildLeases(LeaseTable table, ShardLister lister) {
        this.table = table;
        this.lister = lister;
    }

    /**
     * @param parent the lease of the shard that ended, as this worker holds it
     * @param childShards the ChildShards of the last GetRecords response (may be empty)
     * @return the child shard ids
     * @throws RuntimeException when DynamoDB or Kinesis fails (the caller retries)
     */
    public Set<String> create(StreamRef stream, Lease parent, List<ChildShard> childShards) {
        String parentShardId = stream.shardIdOf(parent.leaseKey());
        List<Lease> children = childShards.isEmpty() ? fromListing(stream, parentShardId, parent)
                : fromChildShards(stream, childShards, parent);
        Set<String> childIds = new LinkedHashSet<>();
        for (Lease child : children) {
            childIds.add(stream.shardIdOf(child.leaseKey()));
            if (table.createLeaseIfNotExists(child)) {
                logger.info("Created lease {} of {} at {} (parents {})", child.leaseKey(), stream, child.checkpoint(),
                        child.parentShardIds());
            }
        }
        table.addChildShardIds(parent.leaseKey(), childIds);
        return childIds;
    }

    private static List<Lease> fromChildShards(StreamRef stream, List<ChildShard> childShards, Lease parent) {
        List<Lease> children = new ArrayList<>();
        for (ChildShard child : childShards) {
            String start = child.hashKeyRange() == null ? null : child.hashKeyRange().startingHashKey();
            String end = child.hashKeyRange() == null ? null : child.hashKeyRange().endingHashKey();
            children.add(Lease.newLease(stream.leaseKey(child.shardId()), startOf(parent),
                    Set.copyOf(child.parentShards()), start, end));
        }
        return children;
    }

    private List<Lease> fromListing(StreamRef stream, String parentShardId, Lease parent) {
        List<Lease> children = new ArrayList<>();
        for (Shard shard : lister.listShards(stream)) {
            List<String> parents = ShardGraph.listedParentsOf(shard);
            if (parents.contains(parentShardId)) {
                children.add(Lease.newLease(stream.leaseKey(shard.shardId()), startOf(parent), Set.copyOf(parents),
                        shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey()));
            }
        }
        return children;
    }

    /** TRIM_HORIZON, or AT_TIMESTAMP below a parent that never got past it. */
    private static ExtendedSequenceNumber startOf(Lease parent) {
        return parent.checkpoint() == ExtendedSequenceNumber.AT_TIMESTAMP ? ExtendedSequenceNumber.AT_TIMESTAMP
                : ExtendedSequenceNumber.TRIM_HORIZON;
    }
}
