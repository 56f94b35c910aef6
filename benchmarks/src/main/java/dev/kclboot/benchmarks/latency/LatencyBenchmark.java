package dev.kclboot.benchmarks.latency;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.kclboot.benchmarks.ResourceMeter;
import dev.kclboot.benchmarks.Watchdog;
import dev.kclboot.test.LocalKinesis;

/**
 * Put-to-listener latency and CPU per record of each way of reading, in one run against the same kinesis-local and
 * dynalite: the worker with enhanced fan-out next to a bare SubscribeToShard loop (the limit on this emulator, which paces events about once a second), and the worker polling at 200 ms and
 * at the default 1 s next to a plain GetRecords loop at the same pace. Each contender gets a fresh stream, waits until it reads every shard, then
 * {@code warmup + records} records are put at a steady rate; the figures cover the records after the warm-up. CPU
 * and allocation are those of the threads each contender started ({@link ThreadCost}). A first, unreported round
 * runs every contender briefly so that none of them runs cold.
 * <pre>
 * benchmarks/run-latency.sh [--records=3000 --warmup=300 --rate=100 --shards=2]
 * </pre>
 */
public final class LatencyBenchmark {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final LatencySettings settings;

    private LatencyBenchmark(LatencySettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        LatencySettings settings;
        try {
            settings = LatencySettings.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Watchdog.start("latency", settings.timeout());
        new LatencyBenchmark(settings).run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<Supplier<LatencyContender>> contenders = List.of(BareSubscribeLoop::new, WorkerContender::fanOut,
                () -> new PlainGetRecordsLoop(Duration.ofMillis(200)), () -> WorkerContender.polling(Duration.ofMillis(200)),
                () -> new PlainGetRecordsLoop(Duration.ofSeconds(1)), () -> WorkerContender.polling(Duration.ofSeconds(1)));
        log(String.format(Locale.ROOT, "%d records (+%d warm-up) per contender at %.0f/s, %d shards, kinesis-local + "
                + "dynalite", settings.records(), settings.warmup(), settings.rate(), settings.shards()));
        List<PhaseResult> results = new ArrayList<>();
        try (LocalKinesis local = LocalKinesis.start()) {
            if (settings.warmupRound()) {
                // Every contender once, unreported, so that no phase runs the SDK's code paths cold (JIT).
                for (Supplier<LatencyContender> contender : contenders) {
                    phase(local, contender.get(), new LatencySettings(settings.warmup(), 0, settings.rate(),
                            settings.shards(), settings.timeout(), false));
                }
            }
            for (Supplier<LatencyContender> contender : contenders) {
                results.add(phase(local, contender.get(), settings));
                log(PhaseResult.header());
                log(results.get(results.size() - 1).row());
            }
        }
        System.out.println();
        System.out.println(PhaseResult.header());
        results.forEach(result -> System.out.println(result.row()));
        System.out.println();
        compare(results.get(1), results.get(0));
        compare(results.get(3), results.get(2));
        compare(results.get(5), results.get(4));
    }

    private PhaseResult phase(LocalKinesis local, LatencyContender contender, LatencySettings sizes)
            throws Exception {
        log("== " + contender.name());
        String stream = local.createStream(sizes.shards());
        LatencyRecorder recorder = new LatencyRecorder(sizes.total());
        try (ThreadCost threads = new ThreadCost(); contender) {
            contender.start(local, stream, sizes.shards(), recorder);
            SteadyWriter writer = new SteadyWriter(local.kinesisClient(), stream, sizes.total(), sizes.rate());
            threads.exclude(writer.thread());
            writer.start();
            while (writer.written() < sizes.warmup() || recorder.received() < sizes.warmup() * 9 / 10) {
                // Measuring starts once the warm-up records are written and (nearly all) read.
                Thread.sleep(5);
            }
            long startNanos = System.nanoTime();
            long[] start = threads.totals();
            long kinesisStart = ResourceMeter.cpuNanos(local.kinesisPid());
            long machineStart = ResourceMeter.machineBusyNanos();
            long jvmStart = OS.getProcessCpuTime();
            long deadline = System.nanoTime()
                    + Duration.ofSeconds((long) (sizes.records() / sizes.rate()) + 30).toNanos();
            writer.join();
            while (!recorder.hasAllFrom(0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long wall = System.nanoTime() - startNanos;
            long[] end = threads.totals();
            log("busiest threads: " + threads.busiest(6));
            long kinesis = ResourceMeter.cpuNanos(local.kinesisPid()) - kinesisStart;
            long machine = ResourceMeter.machineBusyNanos() - machineStart;
            double others = Math.max(0, machine - (OS.getProcessCpuTime() - jvmStart) - kinesis) / (double) wall;
            double[] sorted = recorder.sortedMillisFrom(sizes.warmup());
            int measured = sizes.records();
            return new PhaseResult(contender.name(), measured, sorted.length, recorder.duplicatesFrom(sizes.warmup()),
                    LatencyRecorder.percentile(sorted, 50), LatencyRecorder.percentile(sorted, 99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], (end[0] - start[0]) / 1e3 / measured,
                    (end[1] - start[1]) / 1024.0 / measured, kinesis / 1e3 / measured, others);
        }
    }

    private static void compare(PhaseResult worker, PhaseResult limit) {
        System.out.printf(Locale.ROOT, "%s vs %s: p50 %+.0f%%, p99 %+.0f%%, cpu/record %.2fx%n", worker.contender(),
                limit.contender(), 100 * (worker.p50Millis() / limit.p50Millis() - 1),
                100 * (worker.p99Millis() / limit.p99Millis() - 1),
                worker.cpuMicrosPerRecord() / limit.cpuMicrosPerRecord());
    }

    private static void log(String line) {
        System.out.println("[latency] " + line);
    }

}
