package dev.kclboot.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.kclboot.core.aws.AwsFailures;
import dev.kclboot.core.aws.FailureKind;
import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseCleaner;
import dev.kclboot.core.lease.LeaseCoordinator;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.stream.ShardLister;
import dev.kclboot.core.stream.StreamRef;
import dev.kclboot.core.sync.ShardSyncer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The worker's control round, run on one thread every 100 ms: when taking is due (every taking interval, at most
 * 2 s; while the table is settled every {@link WorkerConfig#settledTakingInterval settled taking interval}, 2 s to
 * half the failover time by the leases held; at once after a shard ended here), one scan of the lease table serves
 * shard sync (when due), cleanup (when due) and taking; every tick then reconciles the consumers with the leases held.
 */
final class ControlLoop {

    private static final Logger logger = LoggerFactory.getLogger(ControlLoop.class);

    private final WorkerConfig config;

    private final StreamCatalog streams;

    private final LeaseTable table;

    private final LeaseCoordinator coordinator;

    private final ShardLister lister;

    private final ShardSyncer syncer;

    private final LeaseCleaner cleaner;

    private final StreamStates states;

    private final ShardFailures failures;

    private final ConsumerSupervisor supervisor;

    private final AtomicLong nextTakeNanos = new AtomicLong(System.nanoTime());

    private long nextSyncNanos = System.nanoTime();

    private long nextCleanupNanos = System.nanoTime();

    private volatile Map<String, Lease> lastScan = Map.of();

    ControlLoop(WorkerConfig config, StreamCatalog streams, LeaseTable table, LeaseCoordinator coordinator,
            ShardLister lister, ShardSyncer syncer, LeaseCleaner cleaner, StreamStates states, ShardFailures failures,
            ConsumerSupervisor supervisor) {
        this.config = config;
        this.streams = streams;
        this.table = table;
        this.coordinator = coordinator;
        this.lister = lister;
        this.syncer = syncer;
        this.cleaner = cleaner;
        this.states = states;
        this.failures = failures;
        this.supervisor = supervisor;
    }

    /** Asks for a taking round at the next tick. */
    void takeSoon() {
        nextTakeNanos.set(System.nanoTime());
    }

    /** One tick; never throws. */
    void tick() {
        long now = System.nanoTime();
        boolean syncDue = now - nextSyncNanos >= 0;
        boolean cleanupDue = now - nextCleanupNanos >= 0;
        if (syncDue || cleanupDue || now - nextTakeNanos.get() >= 0) {
            nextTakeNanos.set(now + config.takingInterval().toNanos());
            try {
                if (round(syncDue, cleanupDue)) {
                    // Settled: nothing free or moving. Scan less often; a shard ending here asks for a round at once.
                    nextTakeNanos.compareAndSet(now + config.takingInterval().toNanos(),
                            now + config.settledTakingInterval(coordinator.heldLeases().size()).toNanos());
                }
                if (syncDue) {
                    nextSyncNanos = now + config.shardSyncInterval().toNanos();
                }
                if (cleanupDue) {
                    nextCleanupNanos = now + config.leaseCleanupInterval().toNanos();
                }
            }
            catch (RuntimeException ex) {
                // Sync and cleanup that failed are tried again at the taking pace, not on every tick.
                logger.warn("Lease taking / shard sync round failed: {}", AwsFailures.describe(ex));
            }
        }
        try {
            supervisor.reconcile(lastScan);
        }
        catch (RuntimeException ex) {
            logger.warn("Could not reconcile the shard consumers", ex);
        }
    }

    /** @return whether the lease table is settled */
    private boolean round(boolean syncDue, boolean cleanupDue) {
        List<Lease> scan = table.listLeases();
        if (syncDue || cleanupDue) {
            int created = 0;
            for (StreamRef stream : streams.all()) {
                created += syncAndClean(stream, rowsOf(scan, stream), syncDue, cleanupDue);
            }
            if (created > 0) {
                scan = table.listLeases(); // So the new leases are taken this round.
            }
        }
        Map<String, Lease> byKey = new HashMap<>();
        List<Lease> takeable = new ArrayList<>();
        for (Lease lease : scan) {
            StreamRef stream = streams.of(lease.leaseKey());
            if (stream != null) {
                byKey.put(lease.leaseKey(), lease);
                if (states.isLive(stream)) {
                    takeable.add(lease);
                }
            }
        }
        failures.observe(byKey, coordinator.workerId());
        boolean settled = coordinator.takeLeases(takeable, lease -> failures.inBackoff(lease.leaseKey()));
        lastScan = byKey;
        return settled && !syncDue;
    }

    /** @return how many leases were created */
    private int syncAndClean(StreamRef stream, List<Lease> rows, boolean syncDue, boolean cleanupDue) {
        if (states.isStopped(stream.streamName())) {
            return 0;
        }
        List<Shard> shards = null;
        if (syncDue) {
            try {
                shards = lister.listShards(stream);
                if (states.markExisting(stream.streamName())) {
                    logger.warn("Stream {} exists again. Lease rows left at SHARD_END by the deleted stream hide the "
                            + "new stream's shards of the same ids: delete them from table {} (or use a new "
                            + "application name) to consume it", stream, table.tableName());
                }
            }
            catch (SdkException ex) {
                if (AwsFailures.kindOf(ex) == FailureKind.NOT_FOUND) {
                    if (states.markDeleted(stream.streamName())) {
                        logger.error("Stream {} does not exist any more: its shards end with TERMINATE and no lease of "
                                + "it is taken", stream);
                    }
                    return 0;
                }
                throw ex;
            }
        }
        int created = 0;
        if (shards != null && !states.isDeleted(stream.streamName())) {
            created = syncer.sync(stream, shards, rows, () -> rowsOf(table.listLeases(), stream));
        }
        if (cleanupDue) {
            cleaner.clean(rows, shards == null ? Map.of() : ShardSyncer.childrenByParent(stream, shards));
        }
        return created;
    }

    Map<String, Lease> lastScan() {
        return lastScan;
    }

    private static List<Lease> rowsOf(List<Lease> scan, StreamRef stream) {
        return scan.stream().filter(lease -> stream.owns(lease.leaseKey())).toList();
    }


}
