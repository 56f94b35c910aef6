package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * One scale run on a new stream of S shards and a new lease table:
 * <ol>
 * <li>a record is put into every shard, then the first worker starts: time until it holds every lease and until
 * every shard delivered its record;</li>
 * <li>with two workers, records flow into every shard while the second worker joins: time until the leases are
 * split evenly, duplicates;</li>
 * <li>the steady phase: the lease table is watched from outside (the longest time a counter stood still), the
 * workers' DynamoDB calls, threads and leases lost are counted, heap after GC at its end; maybe one stall of every
 * DynamoDB call of the workers;</li>
 * <li>with two workers, records flow again while the second worker shuts down gracefully: time until the first holds
 * every lease, duplicates;</li>
 * <li>the workers shut down; every record put must have been delivered.</li>
 * </ol>
 */
final class ScaleRun {

    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final LocalKinesis local;

    private final ScaleSettings settings;

    private final ThreadCensus census;

    private final List<String> problems = new ArrayList<>();

    private final int shards;

    private final int workers;

    private final Duration stall;

    ScaleRun(LocalKinesis local, ScaleSettings settings, ThreadCensus census, int shards, int workers, Duration stall) {
        this.local = local;
        this.settings = settings;
        this.census = census;
        this.shards = shards;
        this.workers = workers;
        this.stall = stall;
    }

    ScaleFigures run() throws InterruptedException {
        String stream = Streams.create(local, "scale-" + shards, shards);
        String application = LocalKinesis.uniqueName("scale-" + shards + "x" + workers);
        List<Shard> shardList = Streams.list(local.kinesisClient(), stream);
        ShardFeeder feeder = new ShardFeeder(local.kinesisClient(), stream, shardList);
        DeliveryLedger ledger = new DeliveryLedger();
        List<ScaleWorker> fleet = new ArrayList<>();
        try (LeaseTableObserver observer = new LeaseTableObserver(local.dynamoDbClient(), application,
                settings.observePeriod().toMillis())) {
            feeder.putRound();
            long heapBefore = Heap.usedAfterGc();
            int jvmBefore = ThreadCensus.jvmThreads();

            // Taking.
            census.open(application);
            ScaleWorker first = newWorker(application, stream, "worker-a", ledger);
            fleet.add(first);
            long start = first.start();
            long takeAll = awaitNanos("worker-a taking all " + shards + " leases", () -> first.leases() == shards, start);
            long consumeAll = awaitNanos("every shard delivering its first record",
                    () -> ledger.firstDelivery().size() == shards, start);
            if (consumeAll >= 0) {
                consumeAll = ledger.firstDelivery().values().stream().mapToLong(Long::longValue).max().orElse(0) - start;
            }
            log(String.format(Locale.ROOT, "  worker-a holds %d leases after %s; every shard delivered after %s",
                    first.leases(), seconds(takeAll), seconds(consumeAll)));
            ThreadCensus.Window loadThreads = census.closeWindow();
            long zombiesTaking = ledger.zombies();

            // Joining.
            long balance = -1;
            long duplicatesJoin = 0;
            ScaleWorker second = null;
            if (workers == 2) {
                census.open(application);
                long duplicatesBefore = ledger.duplicates();
                startFeeding(feeder, settings.putInterval());
                ScaleWorker joining = newWorker(application, stream, "worker-b", ledger);
                second = joining;
                fleet.add(joining);
                long joinStart = joining.start();
                balance = awaitNanos("balancing two workers", () -> balanced(first.leases(), joining.leases()),
                        joinStart);
                Thread.sleep(SETTLE.toMillis());
                feeder.stop();
                awaitAllDelivered(ledger, feeder);
                duplicatesJoin = ledger.duplicates() - duplicatesBefore;
                loadThreads = census.closeWindow();
                log(String.format(Locale.ROOT, "  balanced after %s (%d / %d leases), %d duplicates while joining",
                        seconds(balance), first.leases(), joining.leases(), duplicatesJoin));
            }

            // Steady.
            census.open(application);
            long zombiesBefore = ledger.zombies();
            List<CallCounts> callsBefore = fleet.stream().map(w -> w.calls.snapshot()).toList();
            long lostBefore = lost(fleet);
            observer.startTracking();
            long steadyStart = System.nanoTime();
            if (!settings.steadyPutInterval().isZero()) {
                startFeeding(feeder, settings.steadyPutInterval());
            }
            if (stall.isZero()) {
                Thread.sleep(settings.steady().toMillis());
            }
            else {
                Thread.sleep(settings.stallAt().toMillis());
                log("  stalling every DynamoDB call of the workers for " + stall.toMillis() + " ms");
                fleet.forEach(w -> w.delay.stall(stall));
                Thread.sleep(settings.steady().minus(settings.stallAt()).toMillis());
            }
            LeaseTableObserver.Tracked tracked = observer.stopTracking();
            long steadyNanos = System.nanoTime() - steadyStart;
            CallCounts calls = CallCounts.EMPTY;
            for (int i = 0; i < fleet.size(); i++) {
                calls = calls.plus(fleet.get(i).calls.snapshot().minus(callsBefore.get(i)));
            }
            long lostSteady = lost(fleet) - lostBefore;
            long zombiesSteady = ledger.zombies() - zombiesBefore;
            ThreadCensus.Window steadyThreads = census.closeWindow();
            if (!settings.steadyPutInterval().isZero()) {
                feeder.stop();
            }
            long heapSteady = Heap.usedAfterGc();
            log(String.format(Locale.ROOT, "  steady %s: longest counter stand-still %s (%s), %d leases lost, "
                    + "%d ZOMBIE, %,.0f DynamoDB requests per shard-hour, JVM threads peak %d (second half %d)",
                    seconds(steadyNanos), seconds(tracked.longest().nanos()), tracked.longest().leaseKey(), lostSteady,
                    zombiesSteady,
                    CallCounts.perShardHour(calls.total().requests(), shards, steadyNanos), steadyThreads.jvmPeak(),
                    steadyThreads.jvmSettledPeak()));

            // Leaving.
            long leave = -1;
            long duplicatesLeave = 0;
            if (second != null) {
                long duplicatesBefore = ledger.duplicates();
                startFeeding(feeder, settings.putInterval());
                Thread.sleep(SETTLE.toMillis());
                long leaveStart = System.nanoTime();
                if (!second.shutdown(Duration.ofSeconds(60))) {
                    problems.add("worker-b did not shut down within 60 s");
                }
                leave = awaitNanos("worker-a taking back every lease", () -> first.leases() == shards, leaveStart);
                Thread.sleep(SETTLE.toMillis());
                feeder.stop();
                awaitAllDelivered(ledger, feeder);
                duplicatesLeave = ledger.duplicates() - duplicatesBefore;
                log(String.format(Locale.ROOT, "  worker-b left; worker-a holds every lease after %s, %d duplicates "
                        + "while leaving", seconds(leave), duplicatesLeave));
            }
            else {
                awaitAllDelivered(ledger, feeder);
            }
            long timeouts = fleet.stream().mapToLong(w -> w.delay.cutShort()).sum();
            for (ScaleWorker w : fleet) {
                if (!w.shutdown(Duration.ofSeconds(60))) {
                    problems.add(w.workerId + " did not shut down within 60 s");
                }
            }
            long missing = ledger.missing(feeder.put());
            if (missing > 0) {
                problems.add(missing + " records put were never delivered");
            }
            return new ScaleFigures(shards, workers, settings.latency().toMillis(), stall.toMillis(), takeAll,
                    consumeAll, balance, leave, lost(fleet), lostSteady, tracked, calls, steadyNanos, jvmBefore,
                    steadyThreads, loadThreads, heapBefore, heapSteady, duplicatesJoin, duplicatesLeave,
                    ledger.duplicates(), ledger.zombies(), zombiesTaking, zombiesSteady, feeder.recordsPut(), missing,
                    timeouts, List.copyOf(problems));
        }
        finally {
            feeder.stop();
            fleet.forEach(ScaleWorker::close);
            Streams.delete(local, stream);
        }
    }

    private ScaleWorker newWorker(String application, String stream, String workerId, DeliveryLedger ledger) {
        return new ScaleWorker(local, application, stream, workerId, settings.latency(), settings.failoverTime(),
                settings.maxLeasesToSteal(), settings.virtualThreads(), settings.asyncClients(), ledger);
    }

    private static void startFeeding(ShardFeeder feeder, Duration interval) {
        if (!interval.isZero()) {
            feeder.start(interval);
        }
    }

    private static long lost(List<ScaleWorker> fleet) {
        return fleet.stream().mapToLong(ScaleWorker::leasesLost).sum();
    }

    private boolean balanced(int a, int b) {
        return a + b == shards && Math.abs(a - b) <= 1;
    }

    /** Waits (up to the balance timeout) until every record put was delivered; a problem if not. */
    private void awaitAllDelivered(DeliveryLedger ledger, ShardFeeder feeder) throws InterruptedException {
        awaitNanos("every record put being delivered", () -> ledger.missing(feeder.put()) == 0, System.nanoTime());
    }

    /** Waits until the condition holds; the time from {@code since}, or -1 (and a problem) after the balance timeout. */
    private long awaitNanos(String what, BooleanSupplier condition, long since) throws InterruptedException {
        long deadline = System.nanoTime() + settings.balanceTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                problems.add(what + " did not happen within " + settings.balanceTimeout().toSeconds() + " s");
                log("  gave up waiting for " + what);
                return -1;
            }
            Thread.sleep(20);
        }
        return System.nanoTime() - since;
    }

    static String seconds(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
