package dev.kclboot.core.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.kclboot.core.lease.Lease;
import dev.kclboot.core.lease.LeaseTable;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.stream.StreamRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Creates the leases a stream's shards are missing, as {@link LineagePlanner} decides from a shard listing and the
 * lease rows.
 * <p>
 * Leases for lineages without any lease are only created after a second look: a DynamoDB scan is not a snapshot, so a
 * scan that overlapped a peer's cleanup could miss both a deleted parent and its children's rows, and the lineage
 * would look new. Such leases are created only when a fresh scan plans them too (this costs a scan only when a new
 * lineage appears, which is at the first start of an application).
 */
public class ShardSyncer {

    private static final Logger logger = LoggerFactory.getLogger(ShardSyncer.class);

    private final LeaseTable table;

    private final LineagePlanner planner;

    private final Executor writes;

    private final Duration createTimeout;

    /**
     * @param writes runs the creates of a round at once (a plan never holds both a shard and its child, so their
     * order does not matter)
     * @param createTimeout the longest a round waits for its creates: the control thread that runs the sync must not
     * hang on a client without timeouts (the failover time: a round that slow is better planned again)
     */
    public ShardSyncer(LeaseTable table, InitialPosition initialPosition, Executor writes, Duration createTimeout) {
        this.table = table;
        this.planner = new LineagePlanner(initialPosition);
        this.writes = writes;
        this.createTimeout = createTimeout;
    }

    /**
     * Plans and creates the missing leases of one stream.
     * @param shards the stream's listing
     * @param rows the stream's lease rows as scanned this round
     * @param rescan a fresh scan of the stream's rows, used to confirm new lineages
     * @return how many leases were created
     */
    public int sync(StreamRef stream, List<Shard> shards, List<Lease> rows, Supplier<List<Lease>> rescan) {
        SyncPlan plan = planner.plan(stream, shards, rows);
        List<Lease> toCreate = plan.all();
        if (!plan.newLineageLeases().isEmpty() && !rows.isEmpty()) {
            SyncPlan confirmed = planner.plan(stream, shards, rescan.get());
            Set<String> confirmedKeys = new LinkedHashSet<>();
            confirmed.all().forEach(lease -> confirmedKeys.add(lease.leaseKey()));
            toCreate = toCreate.stream().filter(lease -> confirmedKeys.contains(lease.leaseKey())).toList();
        }
        AtomicInteger created = new AtomicInteger();
        List<CompletableFuture<Void>> creates = new ArrayList<>();
        for (Lease lease : toCreate) {
            creates.add(table.createLeaseIfNotExistsAsync(lease, writes).thenAccept(createdNow -> {
                if (createdNow) {
                    created.incrementAndGet();
                    logger.info("Created lease {} of {} at {} (parents {})", lease.leaseKey(), stream,
                            lease.checkpoint(), lease.parentShardIds());
                }
            }));
        }
        // On a failure or the timeout, the leases not created are planned again at the next sync.
        try {
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new))
                    .get(createTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex.getCause());
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("Creating " + toCreate.size() + " leases of " + stream + " took more than "
                    + createTimeout.toMillis() + " ms", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the leases of " + stream, ex);
        }
        return created.get();
    }

    /** The children of each listed shard, as lease keys by parent lease key (for the cleaner). */
    public static Map<String, Set<String>> childrenByParent(StreamRef stream, List<Shard> shards) {
        Map<String, Set<String>> children = new HashMap<>();
        for (Shard shard : shards) {
            for (String parent : ShardGraph.listedParentsOf(shard)) {
                children.computeIfAbsent(stream.leaseKey(parent), key -> new LinkedHashSet<>())
                        .add(stream.leaseKey(shard.shardId()));
            }
        }
        return children;
    }
}
