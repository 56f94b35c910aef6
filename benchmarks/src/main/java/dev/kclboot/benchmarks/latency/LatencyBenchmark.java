package dev.kclboot.benchmarks.latency;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import dev.kclboot.benchmarks.ResourceMeter;
import dev.kclboot.test.LocalKinesis;

/**
 * Put-to-listener latency and CPU per record of each way of reading, in one run against the same kinesis-local and
 * dynalite, after a baseline phase that only writes: the worker with enhanced fan-out next to a bare SubscribeToShard
 * loop (the limit on this emulator, which paces events about once a second), and the worker polling at 200 ms and
 * at the default 1 s next to a plain GetRecords loop at the same pace. Each contender gets a fresh stream, waits until it reads every shard, then
 * {@code warmup + records} records are put at a steady rate; the figures cover the records after the warm-up.
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
        startWatchdog(settings.timeout());
        new LatencyBenchmark(settings).run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<Supplier<LatencyContender>> contenders = List.of(NoReader::new, BareSubscribeLoop::new, WorkerContender::fanOut,
                () -> new PlainGetRecordsLoop(Duration.ofMillis(200)), () -> WorkerContender.polling(Duration.ofMillis(200)),
                () -> new PlainGetRecordsLoop(Duration.ofSeconds(1)), () -> WorkerContender.polling(Duration.ofSeconds(1)));
        log(String.format(Locale.ROOT, "%d records (+%d warm-up) per contender at %.0f/s, %d shards, kinesis-local + "
                + "dynalite", settings.records(), settings.warmup(), settings.rate(), settings.shards()));
        List<PhaseResult> results = new ArrayList<>();
        try (LocalKinesis local = LocalKinesis.start()) {
            for (Supplier<LatencyContender> contender : contenders) {
                results.add(phase(local, contender.get()));
                log(PhaseResult.header());
                log(results.get(results.size() - 1).row());
            }
        }
        System.out.println();
        PhaseResult baseline = results.get(0);
        System.out.println(PhaseResult.header());
        results.forEach(result -> System.out.println(result.row()));
        System.out.println();
        System.out.printf(Locale.ROOT, "JVM CPU per record net of the baseline (%.0f us/rec):%n",
                baseline.jvmMicrosPerRecord());
        for (PhaseResult result : results.subList(1, results.size())) {
            System.out.printf(Locale.ROOT, "  %-32s %6.0f us/rec%n", result.contender(),
                    result.jvmMicrosPerRecord() - baseline.jvmMicrosPerRecord());
        }
        System.out.println();
        compare(results.get(2), results.get(1), baseline);
        compare(results.get(4), results.get(3), baseline);
        compare(results.get(6), results.get(5), baseline);
    }

    private PhaseResult phase(LocalKinesis local, LatencyContender contender) throws Exception {
        log("== " + contender.name());
        String stream = local.createStream(settings.shards());
        LatencyRecorder recorder = new LatencyRecorder(settings.total());
        try (contender) {
            contender.start(local, stream, settings.shards(), recorder);
            SteadyWriter writer = new SteadyWriter(local.kinesisClient(), stream, settings.total(), settings.rate());
            writer.start();
            boolean reads = !(contender instanceof NoReader);
            while (writer.written() < settings.warmup() || (reads && recorder.received() < settings.warmup() * 9 / 10)) {
                Thread.sleep(5);
            }
            long startNanos = System.nanoTime();
            long jvmStart = OS.getProcessCpuTime();
            long writerStart = writer.cpuNanos();
            long kinesisStart = ResourceMeter.cpuNanos(local.kinesisPid());
            long machineStart = ResourceMeter.machineBusyNanos();
            long deadline = System.nanoTime()
                    + Duration.ofSeconds((long) (settings.records() / settings.rate()) + 30).toNanos();
            writer.join();
            while (reads && !recorder.hasAllFrom(0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long wall = System.nanoTime() - startNanos;
            long jvm = OS.getProcessCpuTime() - jvmStart - (writer.cpuNanos() - writerStart);
            long kinesis = ResourceMeter.cpuNanos(local.kinesisPid()) - kinesisStart;
            long machine = ResourceMeter.machineBusyNanos() - machineStart;
            double others = Math.max(0, machine - (OS.getProcessCpuTime() - jvmStart) - kinesis) / (double) wall;
            double[] sorted = recorder.sortedMillisFrom(settings.warmup());
            int measured = settings.records();
            return new PhaseResult(contender.name(), measured, sorted.length, recorder.duplicatesFrom(settings.warmup()),
                    LatencyRecorder.percentile(sorted, 50), LatencyRecorder.percentile(sorted, 99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], jvm / 1e3 / measured,
                    kinesis / 1e3 / measured, others);
        }
    }

    private static void compare(PhaseResult worker, PhaseResult limit, PhaseResult baseline) {
        double base = baseline.jvmMicrosPerRecord();
        System.out.printf(Locale.ROOT, "%s vs %s: p50 %+.0f%%, p99 %+.0f%%, net jvm cpu/record %.2fx%n",
                worker.contender(), limit.contender(), 100 * (worker.p50Millis() / limit.p50Millis() - 1),
                100 * (worker.p99Millis() / limit.p99Millis() - 1),
                (worker.jvmMicrosPerRecord() - base) / (limit.jvmMicrosPerRecord() - base));
    }

    private static void log(String line) {
        System.out.println("[latency] " + line);
    }

    private static void startWatchdog(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                System.err.println("Latency benchmark did not finish within " + limit + "; exiting");
                System.exit(3);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "latency-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
