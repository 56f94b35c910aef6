package dev.kclboot.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.core.Worker;
import dev.kclboot.test.KinesisBackend;
import dev.kclboot.test.LocalKinesis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * One run, one data set, side by side: loads a stream on kinesalite (records of a fixed size, several shards), then
 * <ol>
 * <li>reads it with a plain single-thread GetRecords loop (the limit),</li>
 * <li>reads it with a kcl-core {@link Worker} on a new lease table (TRIM_HORIZON, no-op processor that checkpoints
 * every batch), timed from {@code start()} until every record was delivered, and measures the heap the worker
 * retains,</li>
 * <li>shuts the worker down gracefully, puts a few new records and starts a new worker on the existing lease table,
 * timing {@code start()} to the first record (several times),</li>
 * <li>reads the stream with the plain loop again (the plain figure is the better of the passes, so a cold JIT does
 * not flatter the worker),</li>
 * </ol>
 * then prints a summary with the machine, the settings and every figure. See {@link BenchmarkSettings} for the knobs
 * and {@code benchmarks/run.sh} for the command. Exit code 0 when every record was delivered exactly once, 1 when
 * something was missing or duplicated or a phase timed out, 2 for bad arguments.
 */
public final class ThroughputBenchmark {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final BenchmarkSettings settings;

    private final List<String> problems = new ArrayList<>();

    private final long deadlineNanos;

    private ThroughputBenchmark(BenchmarkSettings settings) {
        this.settings = settings;
        this.deadlineNanos = System.nanoTime() + settings.timeout().toNanos();
    }

    public static void main(String[] args) throws Exception {
        // kinesalite does not speak CBOR; this must be set before any SDK class reads it.
        if (System.getProperty("aws.cborEnabled") == null) {
            System.setProperty("aws.cborEnabled", "false");
        }
        BenchmarkSettings settings;
        try {
            settings = BenchmarkSettings.parse(args, System.getProperties());
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Watchdog.start("throughput", settings.timeout().plusMinutes(1));
        int exit = new ThroughputBenchmark(settings).run();
        System.exit(exit);
    }


    private int run() throws Exception {
        log("Starting kinesalite + dynalite ...");
        try (LocalKinesis local = LocalKinesis.builder().backend(KinesisBackend.KINESALITE).start()) {
            ResourceMeter meter = new ResourceMeter(local.kinesisPid(), local.dynamoDbPid());
            String stream = local.createStream(LocalKinesis.uniqueName("bench"), settings.shards());
            List<String> shardIds = local.kinesisClient().listShards(r -> r.streamName(stream)).shards().stream()
                    .map(Shard::shardId).sorted().toList();

            // Load.
            log("Loading " + settings.records() + " records of " + settings.payloadBytes() + " bytes into "
                    + settings.shards() + " shards ...");
            ResourceMeter.Snapshot loadStart = meter.snapshot();
            Map<String, Long> perShard = new StreamLoader(local.kinesisClient(), stream, settings.payloadBytes(),
                    settings.putBatch()).load(settings.records(), settings.loaders());
            ResourceMeter.Usage load = loadStart.until(meter.snapshot());
            String loadLine = String.format(Locale.ROOT, "%s = %s (%d threads, PutRecords x %d); per shard %s",
                    Figures.seconds(load.wallNanos()), Figures.rate(Figures.perSecond(settings.records(),
                            load.wallNanos())), settings.loaders(), settings.putBatch(), perShard.values());
            log("  loaded in " + loadLine);

            long clientsHeap = sdkClientsHeap(local, stream);

            // Rounds: plain loop and worker (new lease table each time) on the same records, order alternating.
            List<Round> rounds = new ArrayList<>();
            String application = null;
            for (int number = 1; number <= settings.rounds(); number++) {
                boolean plainFirst = number % 2 == 1;
                application = LocalKinesis.uniqueName("bench-app");
                PlainPass plain = null;
                WorkerFigures worker;
                if (plainFirst) {
                    plain = plainPass(local, meter, stream, shardIds, perShard, number);
                }
                worker = workerRound(local, meter, stream, application, perShard, number);
                if (!plainFirst) {
                    plain = plainPass(local, meter, stream, shardIds, perShard, number);
                }
                Round round = new Round(number, plainFirst, plain, worker);
                rounds.add(round);
                log(String.format(Locale.ROOT, "  round %d: worker/plain = %s", number, Figures.ratio(round.ratio())));
            }

            // Restarts on the existing lease table of the last round.
            List<Long> restartFirst = new ArrayList<>();
            List<Long> restartAll = new ArrayList<>();
            for (int number = 1; number <= settings.restarts(); number++) {
                Map<String, Long> fresh = new StreamLoader(local.kinesisClient(), stream, settings.payloadBytes(),
                        settings.putBatch()).load(settings.restartRecords(), 1);
                WorkerPass restart = workerPass(local, meter, stream, application, settings.restartRecords());
                // Anything checkpointed before must not come again: wait a little for late duplicates.
                Thread.sleep(1000);
                checkDelivery("restart " + number, restart.sink, fresh);
                long first = restart.sink.firstNanos() - restart.startNanos;
                long all = restart.sink.doneNanos() - restart.startNanos;
                restartFirst.add(first);
                restartAll.add(all);
                log(String.format(Locale.ROOT, "  restart %d: start() -> first record %s, all %d new records %s",
                        number, Figures.millis(first), settings.restartRecords(), Figures.millis(all)));
                if (!restart.worker.shutdown(Duration.ofSeconds(30))) {
                    problems.add("restart worker " + number + " did not shut down within 30 s");
                }
                restart.close();
            }
            Map<String, String> checkpoints = checkpoints(local.dynamoDbClient(), application);
            printSummary(loadLine, rounds, restartFirst, restartAll, checkpoints, clientsHeap);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * What a worker's own pair of SDK clients retains, for comparison with the worker's figure: used heap after GC
     * with a new Kinesis and DynamoDB client that have each made a call, minus before.
     */
    private static long sdkClientsHeap(LocalKinesis local, String stream) throws InterruptedException {
        long before = usedHeapAfterGc();
        try (KinesisClient kinesis = local.newKinesisClient(); DynamoDbClient dynamoDb = local.newDynamoDbClient()) {
            kinesis.describeStreamSummary(r -> r.streamName(stream));
            dynamoDb.listTables();
            return usedHeapAfterGc() - before;
        }
    }

    /** One worker pass on a new lease table, with the heap before and after it and its graceful shutdown. */
    private WorkerFigures workerRound(LocalKinesis local, ResourceMeter meter, String stream, String application,
            Map<String, Long> perShard, int number) throws InterruptedException {
        long heapBefore = usedHeapAfterGc();
        String histogramBefore = (settings.histogram() && number == 1) ? classHistogram() : "";
        WorkerPass pass = workerPass(local, meter, stream, application, settings.records());
        long heapAfter = usedHeapAfterGc();
        if (settings.histogram() && number == 1) {
            log("Class histogram before the worker:\n" + histogramBefore);
            log("Class histogram after consuming, worker running:\n" + classHistogram());
        }
        checkDelivery("worker round " + number, pass.sink, perShard);
        long shutdownStart = System.nanoTime();
        if (!pass.worker.shutdown(Duration.ofSeconds(30))) {
            problems.add("worker of round " + number + " did not shut down within 30 s");
        }
        long shutdownNanos = System.nanoTime() - shutdownStart;
        WorkerFigures figures = pass.figures(heapBefore, heapAfter, shutdownNanos);
        pass.close();
        log(String.format(Locale.ROOT, "  worker round %d: %,d records in %s = %s (first record after %s)", number,
                figures.records(), Figures.seconds(figures.totalNanos()), Figures.rate(figures.perSecond()),
                Figures.millis(figures.firstNanos())));
        return figures;
    }

    private PlainPass plainPass(LocalKinesis local, ResourceMeter meter, String stream, List<String> shardIds,
            Map<String, Long> perShard, int pass) {
        log("Plain GetRecords loop, pass " + pass + " ...");
        try (KinesisClient kinesis = local.newKinesisClient()) {
            ResourceMeter.Snapshot start = meter.snapshot();
            PlainReader.Result result = new PlainReader(kinesis, stream, settings.maxRecords()).read(shardIds, perShard);
            ResourceMeter.Usage usage = start.until(meter.snapshot());
            long expected = perShard.values().stream().mapToLong(Long::longValue).sum();
            if (result.records() != expected) {
                problems.add("plain pass " + pass + " read " + result.records() + " records, expected " + expected);
            }
            log(String.format(Locale.ROOT, "  plain pass %d: %,d records in %s = %s (%d GetRecords calls)", pass,
                    result.records(), Figures.seconds(result.nanos()), Figures.rate(result.perSecond()),
                    result.calls()));
            return new PlainPass(pass, result, usage);
        }
    }

    /** Builds and starts a worker, waits until {@code target} records were delivered; the worker is left running. */
    private WorkerPass workerPass(LocalKinesis local, ResourceMeter meter, String stream, String application,
            long target) throws InterruptedException {
        KinesisClient kinesis = local.newKinesisClient();
        DynamoDbClient dynamoDb = local.newDynamoDbClient();
        CallRecorder calls = new CallRecorder();
        DeliverySink sink = new DeliverySink(target, settings.processingTime().toMillis());
        SimpleMeterRegistry registry = settings.meters() ? new SimpleMeterRegistry() : null;
        Worker worker = Worker.builder().applicationName(application).stream(stream)
                .kinesisClient(calls.wrap(KinesisClient.class, kinesis))
                .dynamoDbClient(calls.wrap(DynamoDbClient.class, dynamoDb)).recordProcessorFactory(streamName -> sink.newProcessor())
                .initialPosition(InitialPosition.trimHorizon()).maxRecords(settings.maxRecords())
                .idleTimeBetweenReads(settings.idleTimeBetweenReads()).failoverTime(settings.failoverTime())
                .meterRegistry(registry).build();
        log("Worker on " + application + ": waiting for " + target + " records ...");
        ResourceMeter.Snapshot before = meter.snapshot();
        long start = System.nanoTime();
        worker.start();
        long startReturned = System.nanoTime();
        WorkerPass pass = new WorkerPass(worker, kinesis, dynamoDb, calls, sink, registry, start, startReturned,
                before);
        long deadline = Math.min(deadlineNanos, System.nanoTime() + Duration.ofMinutes(10).toNanos());
        if (!sink.awaitDone(deadline)) {
            problems.add("worker on " + application + " delivered only " + sink.delivered() + " of " + target
                    + " records before the deadline");
            throw new IllegalStateException(problems.get(problems.size() - 1) + "; state " + worker.state()
                    + (worker.failure() == null ? "" : ", failure " + worker.failure()));
        }
        pass.usage = before.until(meter.snapshot());
        return pass;
    }

    private void checkDelivery(String name, DeliverySink sink, Map<String, Long> expected) {
        Map<String, Long> got = sink.perShard();
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            long n = got.getOrDefault(entry.getKey(), 0L);
            if (n != entry.getValue()) {
                problems.add(String.format(Locale.ROOT, "%s: shard %s delivered %d records, expected %d (%s)", name,
                        entry.getKey(), n, entry.getValue(), n > entry.getValue() ? "duplicates" : "missing"));
            }
        }
        if (sink.shutdownErrors() > 0) {
            problems.add(name + ": " + sink.shutdownErrors() + " checkpoints failed at shutdown");
        }
    }

    private static Map<String, String> checkpoints(DynamoDbClient dynamoDb, String table) {
        Map<String, String> result = new TreeMap<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(item -> {
            if (item.containsKey("leaseKey") && item.containsKey("checkpoint")) {
                String owner = item.containsKey("leaseOwner") ? item.get("leaseOwner").s() : "-";
                result.put(item.get("leaseKey").s(), item.get("checkpoint").s() + " owner " + owner);
            }
        });
        return result;
    }

    /** Used heap after a few full collections, as close to "retained" as a running JVM tells. */
    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private void printSummary(String loadLine, List<Round> rounds, List<Long> restartFirst, List<Long> restartAll,
            Map<String, String> checkpoints, long clientsHeap) {
        Runtime runtime = Runtime.getRuntime();
        String rule = "=".repeat(110);
        List<String> out = new ArrayList<>();
        out.add(rule);
        out.add("kcl-core throughput benchmark: Worker vs plain GetRecords loop (same run, same data)");
        out.add(rule);
        out.add(row("machine", runtime.availableProcessors() + " cores (" + CpuModel.describe() + "), "
                + String.format(Locale.ROOT, "%.1f GiB RAM", totalMemoryBytes() / (1024.0 * 1024 * 1024)) + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "; load average at the end " + loadAverage()));
        out.add(row("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Figures.megabytes(runtime.maxMemory()) + ", "
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        out.add(row("emulators", "kinesalite + dynalite (Node.js " + nodeVersion() + ", child processes on loopback)"));
        out.add(row("data", String.format(Locale.ROOT, "%,d records x %d bytes, %d shards, loaded in %s",
                settings.records(), settings.payloadBytes(), settings.shards(), loadLine)));
        out.add(row("plain loop", "1 thread, shards one after another, TRIM_HORIZON, GetRecords limit "
                + settings.maxRecords() + ", no pacing, payload touched"));
        out.add(row("worker", "new lease table each round, TRIM_HORIZON, maxRecords " + settings.maxRecords()
                + ", idleTimeBetweenReads " + settings.idleTimeBetweenReads().toMillis() + " ms, failoverTime "
                + settings.failoverTime().toMillis() + " ms, " + (settings.processingTime().isZero() ? "no-op processor"
                : "processor sleeping " + settings.processingTime().toMillis() + " ms per batch") + " (touches "
                + "payloads, checkpoint() after every batch), meters " + (settings.meters() ? "SimpleMeterRegistry" : "none")));
        out.add(row("timing", "worker: start() until the last record was delivered and checkpointed; plain: first "
                + "GetShardIterator until the last record read"));
        out.add("-".repeat(110));
        out.add(String.format(Locale.ROOT, "%-6s %-13s %15s %15s %8s %15s %9s %11s %11s", "round", "order",
                "plain rec/s", "worker rec/s", "ratio", "fetching rec/s", "ratio", "1st record", "other cpu"));
        for (Round round : rounds) {
            out.add(String.format(Locale.ROOT, "%-6d %-13s %15s %15s %8s %15s %9s %11s %11s", round.number,
                    round.plainFirst ? "plain,worker" : "worker,plain", String.format(Locale.ROOT, "%,.0f",
                            round.plain.result.perSecond()), String.format(Locale.ROOT, "%,.0f",
                            round.worker.perSecond()), Figures.ratio(round.ratio()), String.format(Locale.ROOT,
                            "%,.0f", round.worker.fetchingPerSecond()), Figures.ratio(round.fetchingRatio()),
                    Figures.millis(round.worker.firstNanos()), String.format(Locale.ROOT, "%.2f / %.2f",
                            round.plain.usage.otherCores(), round.worker.usage().otherCores())));
        }
        double[] ratios = rounds.stream().mapToDouble(Round::ratio).sorted().toArray();
        double median = median(ratios);
        double plainMedian = median(rounds.stream().mapToDouble(r -> r.plain.result.perSecond()).sorted().toArray());
        double workerMedian = median(rounds.stream().mapToDouble(r -> r.worker.perSecond()).sorted().toArray());
        double fetchingMedian = median(rounds.stream().mapToDouble(Round::fetchingRatio).sorted().toArray());
        out.add(String.format(Locale.ROOT, "%-20s %15s %15s %8s %15s %9s", "median", String.format(Locale.ROOT,
                "%,.0f", plainMedian), String.format(Locale.ROOT, "%,.0f", workerMedian), Figures.ratio(median), "",
                Figures.ratio(fetchingMedian)));
        out.add("  ratio = worker rec/s / plain rec/s of the same round; fetching = worker from its first GetRecords "
                + "call (no startup); other cpu = cores used");
        out.add("  by processes outside this benchmark during the plain / worker pass (a shared machine makes "
                + "single figures noisy).");
        out.add("-".repeat(110));
        out.add(row("RATIO worker / plain", Figures.ratio(median) + " median of " + rounds.size() + " rounds (min "
                + Figures.ratio(ratios[0]) + ", max " + Figures.ratio(ratios[ratios.length - 1]) + "); goal >= "
                + "0.90x: " + (median >= 0.9 ? "MET" : "NOT MET")));
        long maxFirst = restartFirst.stream().mapToLong(Long::longValue).max().orElse(0);
        out.add(row("first record, existing table", restartFirst.stream().map(Figures::millis)
                .collect(Collectors.joining(", ")) + " (max " + Figures.millis(maxFirst) + "); goal < 2,000 ms: "
                + (restartFirst.isEmpty() ? "not measured" : maxFirst < 2_000_000_000L ? "MET" : "NOT MET")));
        out.add(row("", "start() to first record of a new worker after a graceful shutdown + " + settings.restartRecords()
                + " new records; all of them delivered after " + restartAll.stream().map(Figures::millis)
                .collect(Collectors.joining(", "))));
        out.add(row("worker retained heap", rounds.stream().map(r -> Figures.megabytesDelta(r.worker.heapAfter()
                - r.worker.heapBefore())).collect(Collectors.joining(", ")) + " per round (used heap after GC: "
                + "after consuming, worker running, minus before the worker)"));
        out.add(row("", "for comparison, a Kinesis + a DynamoDB SDK client alone (each after one call): "
                + Figures.megabytesDelta(clientsHeap)));
        WorkerFigures first = rounds.get(0).worker;
        out.add(row("", "round 1: " + Figures.megabytes(first.heapBefore()) + " before, "
                + Figures.megabytes(first.heapAfter()) + " after consuming"));
        for (Round round : rounds) {
            WorkerFigures w = round.worker;
            out.add(row("worker round " + round.number, String.format(Locale.ROOT, "%,d records in %s; start() "
                    + "returned after %s, first GetRecords call after %s, first record after %s; %d batches, "
                    + "shutdown %s", w.records(), Figures.seconds(w.totalNanos()), Figures.millis(w.startReturnedNanos()),
                    Figures.millis(w.firstGetRecordsNanos()), Figures.millis(w.firstNanos()), w.batches(),
                    Figures.millis(w.shutdownNanos()))));
            out.add(row("", "calls: " + w.calls()));
            out.add(row("", w.usage().describe(w.records())));
            out.add(row("plain round " + round.number, String.format(Locale.ROOT, "%,d records in %s, %d GetRecords "
                    + "calls", round.plain.result.records(), Figures.seconds(round.plain.result.nanos()),
                    round.plain.result.calls())));
            out.add(row("", round.plain.usage.describe(round.plain.result.records())));
        }
        out.add(row("checkpoints at the end", checkpoints.size() + " leases: " + checkpoints.entrySet().stream()
                .map(e -> e.getKey() + "=" + shortSeq(e.getValue())).collect(Collectors.joining(", "))));
        out.add(row("delivery check", problems.isEmpty() ? "every record delivered exactly once (per-shard counts "
                + "equal the put counts in every round, no duplicates after restarts)"
                : "PROBLEMS: " + String.join("; ", problems)));
        out.add(rule);
        System.out.println();
        out.forEach(System.out::println);
    }

    /** The top of {@code GC.class_histogram} of this JVM (it runs a full GC first). */
    private static String classHistogram() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] { new String[0] }, new String[] { String[].class.getName() });
            return String.valueOf(text).lines().limit(25).collect(Collectors.joining("\n"));
        }
        catch (Exception ex) {
            return "class histogram not available: " + ex;
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException | RuntimeException ex) {
            return "n/a";
        }
    }

    private static String shortSeq(String value) {
        // "4962...1234 owner -" -> "...1234 (free)"
        String[] parts = value.split(" owner ");
        String seq = parts[0].length() > 12 ? "..." + parts[0].substring(parts[0].length() - 8) : parts[0];
        return seq + (parts.length > 1 && parts[1].equals("-") ? " (released)" : " (owner " + parts[1] + ")");
    }

    private static String row(String label, String value) {
        return String.format(Locale.ROOT, "%-32s %s", label.isEmpty() ? "" : label + ":", value);
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }


    private static long totalMemoryBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    private static String nodeVersion() {
        String node = System.getProperty("kcl.test.node", System.getenv().getOrDefault("KCL_TEST_NODE", "node"));
        try {
            Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return version;
        }
        catch (IOException ex) {
            return "unknown";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private record PlainPass(int pass, PlainReader.Result result, ResourceMeter.Usage usage) {
    }

    private record Round(int number, boolean plainFirst, PlainPass plain, WorkerFigures worker) {

        double ratio() {
            return worker.perSecond() / plain.result.perSecond();
        }

        double fetchingRatio() {
            return worker.fetchingPerSecond() / plain.result.perSecond();
        }
    }

    /** A running worker with its own clients, and what it delivered. */
    private static final class WorkerPass implements AutoCloseable {

        final Worker worker;

        final KinesisClient kinesis;

        final DynamoDbClient dynamoDb;

        final CallRecorder calls;

        final DeliverySink sink;

        final @Nullable MeterRegistry registry;

        final long startNanos;

        final long startReturnedNanos;

        final ResourceMeter.Snapshot before;

        ResourceMeter.Usage usage;

        WorkerPass(Worker worker, KinesisClient kinesis, DynamoDbClient dynamoDb, CallRecorder calls,
                DeliverySink sink, @Nullable MeterRegistry registry, long startNanos, long startReturnedNanos,
                ResourceMeter.Snapshot before) {
            this.worker = worker;
            this.kinesis = kinesis;
            this.dynamoDb = dynamoDb;
            this.calls = calls;
            this.sink = sink;
            this.registry = registry;
            this.startNanos = startNanos;
            this.startReturnedNanos = startReturnedNanos;
            this.before = before;
        }

        WorkerFigures figures(long heapBefore, long heapAfter, long shutdownNanos) {
            long firstGetRecords = calls.firstCallNanos("getRecords");
            return new WorkerFigures(sink.delivered(), sink.doneNanos() - startNanos, startReturnedNanos - startNanos,
                    firstGetRecords == 0 ? -1 : firstGetRecords - startNanos, sink.firstNanos() - startNanos,
                    sink.doneNanos() - sink.firstNanos(), sink.firstBatchSize(), sink.batches(),
                    count("kcl.getrecords.calls"), count("kcl.checkpoints.written"), calls.describe(), usage,
                    heapBefore, heapAfter, shutdownNanos);
        }

        private String count(String name) {
            if (registry == null) {
                return "n/a (meters off)";
            }
            double total = registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
            return String.valueOf(Math.round(total));
        }

        @Override
        public void close() {
            kinesis.close();
            dynamoDb.close();
            if (registry != null) {
                registry.close();
            }
        }
    }

    private record WorkerFigures(long records, long totalNanos, long startReturnedNanos, long firstGetRecordsNanos,
            long firstNanos, long steadyNanos, long firstBatch, long batches, String getRecordsCalls,
            String checkpoints, String calls, ResourceMeter.Usage usage, long heapBefore, long heapAfter,
            long shutdownNanos) {

        double perSecond() {
            return Figures.perSecond(records, totalNanos);
        }

        /** From the first GetRecords call to the last record: the worker's fetching without its startup. */
        double fetchingPerSecond() {
            return firstGetRecordsNanos < 0 ? 0 : Figures.perSecond(records, totalNanos - firstGetRecordsNanos);
        }

        /** Records after the first batch over the time from the first to the last batch. */
        double steadyPerSecond() {
            return Figures.perSecond(records - firstBatch, steadyNanos);
        }
    }
}
