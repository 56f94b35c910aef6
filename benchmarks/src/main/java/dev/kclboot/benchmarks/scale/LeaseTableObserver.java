package dev.kclboot.benchmarks.scale;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Watches a lease table from outside the workers, with a client of its own that has no added latency: a consistent
 * scan every {@code period}, whose counters feed a {@link CounterStallTracker} while tracking is on, and whose
 * owners tell how the leases are spread over the workers. Rows that are not leases (no {@code leaseCounter}, or an
 * {@code entityType} other than {@code LEASE}) are skipped.
 */
final class LeaseTableObserver implements AutoCloseable {

    /** One scan: counter and owner ({@code -} for none) per lease key. */
    record Snapshot(Map<String, Long> counters, Map<String, String> owners, long nanos) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0);

        /** How many leases each owner holds. */
        Map<String, Integer> leasesPerOwner() {
            Map<String, Integer> result = new HashMap<>();
            owners.values().forEach(owner -> result.merge(owner, 1, Integer::sum));
            return result;
        }
    }

    private final DynamoDbClient dynamoDb;

    private final String table;

    private final long periodMillis;

    private final Thread thread;

    private final AtomicReference<Snapshot> last = new AtomicReference<>(Snapshot.EMPTY);

    private volatile boolean running = true;

    private CounterStallTracker tracker;

    private long slowestScanNanos;

    private long failedScans;

    LeaseTableObserver(DynamoDbClient dynamoDb, String table, long periodMillis) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::run, "scale-observer-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    /** The last scan. */
    Snapshot last() {
        return last.get();
    }

    /** Starts a new tracking window. */
    synchronized void startTracking() {
        tracker = new CounterStallTracker();
        slowestScanNanos = 0;
        failedScans = 0;
    }

    /** Ends the window: the longest stall, the mean interval between counter moves, how many scans it saw. */
    synchronized Tracked stopTracking() {
        CounterStallTracker done = tracker;
        tracker = null;
        if (done == null) {
            return new Tracked(CounterStallTracker.Stall.NONE, 0, 0, 0, slowestScanNanos, failedScans);
        }
        CounterStallTracker.Stall longest = done.finish(System.nanoTime());
        return new Tracked(longest, done.meanChangeIntervalNanos(), done.snapshots(), done.leases(), slowestScanNanos,
                failedScans);
    }

    /** What one tracking window saw. */
    record Tracked(CounterStallTracker.Stall longest, long meanChangeIntervalNanos, int scans, int leases,
            long slowestScanNanos, long failedScans) {
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            long start = System.nanoTime();
            try {
                Snapshot snapshot = scan();
                last.set(snapshot);
                synchronized (this) {
                    slowestScanNanos = Math.max(slowestScanNanos, System.nanoTime() - start);
                    if (tracker != null) {
                        tracker.observe(snapshot.counters(), snapshot.nanos());
                    }
                }
            }
            catch (RuntimeException ex) {
                synchronized (this) {
                    failedScans++;
                }
            }
            next += periodMillis * 1_000_000;
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // Fell behind (a slow scan): no burst to catch up.
                continue;
            }
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private Snapshot scan() {
        Map<String, Long> counters = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
        dynamoDb.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().forEach(item -> {
            AttributeValue key = item.get("leaseKey");
            AttributeValue counter = item.get("leaseCounter");
            AttributeValue type = item.get("entityType");
            if (key == null || counter == null || (type != null && !"LEASE".equals(type.s()))) {
                return;
            }
            counters.put(key.s(), Long.parseLong(counter.n()));
            AttributeValue owner = item.get("leaseOwner");
            owners.put(key.s(), owner == null ? "-" : owner.s());
        });
        // The time the scan's answer was complete: the counters were read at most this long before.
        return new Snapshot(counters, owners, System.nanoTime());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
