package dev.kclboot.core.lease;

import dev.kclboot.core.stream.StreamRef;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the lease of a finished parent shard once every child has started past TRIM_HORIZON: by then nothing can
 * need the parent's lease for the parents-first rule.
 */
public class LeaseCleaner {

    private static final Logger logger = LoggerFactory.getLogger(LeaseCleaner.class);

    private final LeaseTable table;

    public LeaseCleaner(LeaseTable table) {
        this.table = table;
    }

    public void clean(StreamRef stream, List<Lease> scanned) {
        Map<String, Lease> byKey = scanned.stream().collect(Collectors.toMap(Lease::leaseKey, Function.identity()));
        for (Lease lease : scanned) {
            if (!stream.owns(lease.leaseKey()) || !lease.isFinished() || lease.childShardIds().isEmpty()) {
                continue;
            }
            boolean childrenStarted = lease.childShardIds().stream().map(stream::leaseKey).map(byKey::get)
                    .allMatch(child -> child != null && (child.isFinished() || !child.checkpoint().isSentinel()));
            if (childrenStarted) {
                try {
                    table.deleteLease(lease.leaseKey());
                    logger.info("Deleted finished parent lease {}", lease.leaseKey());
                }
                catch (RuntimeException ex) {
                    logger.debug("Could not delete lease {}: {}", lease.leaseKey(), ex.toString());
                }
            }
        }
    }
}
