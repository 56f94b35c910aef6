package dev.kclboot.core.lease;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kclboot.core.aws.AwsFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the lease of a finished shard once every child has started (its checkpoint is past the start sentinel):
 * by then no child waits for it (parents first), and the children's rows keep it from ever being leased again, since
 * a shard that is an ancestor of a leased shard is never leased (see the shard sync's lineage rule).
 * <p>
 * The children are the lease's {@code childShardIds}; a finished lease without them (written by another tool, or
 * ended with its stream) uses the children the shard listing shows, if any. A finished lease without known children
 * is kept. The delete is conditional: the row must still be at SHARD_END with the counter it was read with.
 */
public class LeaseCleaner {

    private static final Logger logger = LoggerFactory.getLogger(LeaseCleaner.class);

    private final LeaseTable table;

    public LeaseCleaner(LeaseTable table) {
        this.table = table;
    }

    /**
     * Deletes what {@link #deletable} selects.
     * @param rows the leases of one stream as scanned
     * @param listedChildren child lease keys by parent lease key, from a shard listing (empty when none was made)
     * @return how many rows were deleted
     */
    public int clean(List<Lease> rows, Map<String, Set<String>> listedChildren) {
        int deleted = 0;
        for (Lease lease : deletable(rows, listedChildren)) {
            try {
                if (table.deleteFinishedLease(lease)) {
                    deleted++;
                    logger.info("Deleted finished lease {} (its children {} have started)", lease.leaseKey(),
                            childrenOf(lease, listedChildren));
                }
            }
            catch (RuntimeException ex) {
                logger.debug("Could not delete finished lease {} ({}); next cleanup tries again", lease.leaseKey(),
                        AwsFailures.describe(ex));
            }
        }
        return deleted;
    }

    /** The finished leases whose known children all have rows that started; pure. */
    public static List<Lease> deletable(List<Lease> rows, Map<String, Set<String>> listedChildren) {
        Map<String, Lease> byKey = rows.stream().collect(Collectors.toMap(Lease::leaseKey, Function.identity(),
                (first, second) -> first));
        List<Lease> result = new ArrayList<>();
        for (Lease lease : rows) {
            if (!lease.isFinished()) {
                continue;
            }
            Set<String> children = childrenOf(lease, listedChildren);
            if (children.isEmpty()) {
                continue;
            }
            boolean allStarted = children.stream().map(byKey::get)
                    .allMatch(child -> child != null && !child.isUnstarted());
            if (allStarted) {
                result.add(lease);
            }
        }
        return result;
    }

    private static Set<String> childrenOf(Lease lease, Map<String, Set<String>> listedChildren) {
        Set<String> recorded = lease.childLeaseKeys();
        return recorded.isEmpty() ? listedChildren.getOrDefault(lease.leaseKey(), Set.of()) : recorded;
    }
}
