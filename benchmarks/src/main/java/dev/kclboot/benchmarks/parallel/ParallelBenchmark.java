package dev.kclboot.benchmarks.parallel;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.kclboot.benchmarks.CpuModel;
import dev.kclboot.benchmarks.Watchdog;
import dev.kclboot.core.Worker;
import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.parallel.KeyOrderedProcessorFactory;
import dev.kclboot.core.processor.RecordProcessor;
import dev.kclboot.core.processor.RecordProcessorFactory;
import dev.kclboot.core.processor.ShutdownReason;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.core.stream.InitialPosition;
import dev.kclboot.test.KinesisBackend;
import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Ordered parallelism inside a shard, measured: a handler that sleeps 20 ms per record (an I/O-bound call), 4 shards,
 * 50 partition keys, one round per concurrency (1, 2, 5, 10, 50) in the same run, each on a fresh stream and lease
 * table of kinesalite + dynalite, plus (by default) a plain record processor handling its batches one record after
 * another as the engine did before. Each round's records/s (from the first record finished to the last) is printed
 * with its ratio against the first concurrency, and (by default at 1 and 10) the same through a Spring Boot
 * application's {@code @KinesisListener} with {@code kcl.listener.concurrency}; every delivery is counted (missing, duplicates, per-key order
 * violations), and the exit code is 1 when any of them is not zero, 2 for bad arguments, 3 at the timeout.
 * Run it with {@code benchmarks/run-parallel.sh}.
 */
public final class ParallelBenchmark {

    private final ParallelSettings settings;

    private ParallelBenchmark(ParallelSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        // kinesalite does not speak CBOR; this must be set before any SDK class reads it.
        if (System.getProperty("aws.cborEnabled") == null) {
            System.setProperty("aws.cborEnabled", "false");
        }
        ParallelSettings settings;
        try {
            settings = ParallelSettings.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Watchdog.start("parallel", settings.timeout());
        System.exit(new ParallelBenchmark(settings).run());
    }


    /** One measured round. */
    private record Round(String name, int concurrency, int records, RoundTally tally) {
    }

    private int run() throws Exception {
        log("Starting kinesalite + dynalite ...");
        List<Round> rounds = new ArrayList<>();
        try (LocalKinesis local = LocalKinesis.builder().backend(KinesisBackend.KINESALITE).start()) {
            if (settings.sequentialBaseline()) {
                int records = settings.recordsAt(1);
                RoundTally tally = new RoundTally(records, settings.keys());
                round(local, "sequential", records, sequential(tally), tally);
                rounds.add(new Round("sequential processor", 1, records, tally));
                log("  " + describe(rounds.get(rounds.size() - 1)));
            }
            for (int concurrency : settings.concurrencies()) {
                int records = settings.recordsAt(concurrency);
                RoundTally tally = new RoundTally(records, settings.keys());
                KeyOrderedProcessorFactory factory = KeyOrderedProcessorFactory.builder().concurrency(concurrency)
                        .handler(record -> {
                            Thread.sleep(settings.handlerSleep().toMillis());
                            tally.delivered(record);
                        }).build();
                round(local, "n" + concurrency, records, factory, tally);
                rounds.add(new Round("key-ordered N=" + concurrency, concurrency, records, tally));
                log("  " + describe(rounds.get(rounds.size() - 1)));
            }
            for (int concurrency : settings.springConcurrencies()) {
                int records = settings.recordsAt(concurrency);
                RoundTally tally = new RoundTally(records, settings.keys());
                String stream = local.createStream(LocalKinesis.uniqueName("par-spring"), settings.shards());
                load(local, stream, records);
                SpringListenerRound.run(local, stream, LocalKinesis.uniqueName("par-spring"), concurrency,
                        settings.handlerSleep(), records, tally);
                local.kinesisClient().deleteStream(request -> request.streamName(stream));
                rounds.add(new Round("@KinesisListener N=" + concurrency, concurrency, records, tally));
                log("  " + describe(rounds.get(rounds.size() - 1)));
            }
        }
        print(rounds);
        boolean clean = rounds.stream().allMatch(round -> round.tally.missing() == 0 && round.tally.duplicates() == 0
                && round.tally.orderViolations() == 0);
        return clean ? 0 : 1;
    }

    /** Loads a fresh stream, consumes it with a worker on a fresh lease table until every record is done. */
    private void round(LocalKinesis local, String name, int records, RecordProcessorFactory factory,
            RoundTally tally) throws InterruptedException {
        String stream = local.createStream(LocalKinesis.uniqueName("par-" + name), settings.shards());
        load(local, stream, records);
        Worker worker = Worker.builder().applicationName(LocalKinesis.uniqueName("par-" + name)).stream(stream)
                .kinesisClient(local.kinesisClient()).dynamoDbClient(local.dynamoDbClient())
                .recordProcessorFactory(factory).initialPosition(InitialPosition.trimHorizon())
                .idleTimeBetweenReads(Duration.ofMillis(200)).build();
        worker.start();
        while (tally.finished() < records) {
            Thread.sleep(50);
        }
        worker.shutdown(Duration.ofSeconds(30));
        local.kinesisClient().deleteStream(request -> request.streamName(stream));
    }

    private void load(LocalKinesis local, String stream, int records) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key" + (i % settings.keys()))
                    .data(SdkBytes.fromString(Integer.toString(i), StandardCharsets.UTF_8)).build());
            if (entries.size() == 500 || i == records - 1) {
                List<PutRecordsRequestEntry> batch = List.copyOf(entries);
                var response = local.kinesisClient().putRecords(request -> request.streamName(stream).records(batch));
                if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                    throw new IllegalStateException("PutRecords failed for " + response.failedRecordCount() + " records");
                }
                entries.clear();
            }
        }
    }

    /** Today's path: the records of a batch one after another, checkpoint after the batch. */
    private RecordProcessorFactory sequential(RoundTally tally) {
        return streamName -> new RecordProcessor() {

            @Override
            public void processRecords(List<KinesisRecord> records, Checkpointer checkpointer) {
                for (KinesisRecord record : records) {
                    try {
                        Thread.sleep(settings.handlerSleep().toMillis());
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    tally.delivered(record);
                }
                checkpointer.checkpoint();
            }

            @Override
            public void shutdown(Checkpointer checkpointer, ShutdownReason reason) {
                if (reason != ShutdownReason.ZOMBIE) {
                    checkpointer.checkpoint();
                }
            }
        };
    }

    private String describe(Round round) {
        return String.format(Locale.ROOT, "%-22s %,7d records %,9.0f rec/s  missing %d, duplicates %d, order "
                + "violations %d", round.name, round.records, round.tally.perSecond(), round.tally.missing(),
                round.tally.duplicates(), round.tally.orderViolations());
    }

    private void print(List<Round> rounds) {
        Runtime runtime = Runtime.getRuntime();
        String rule = "=".repeat(100);
        List<String> out = new ArrayList<>();
        out.add(rule);
        out.add("Ordered parallelism inside a shard: records/s by concurrency (same run, ratios against the baseline)");
        out.add(rule);
        out.add(row("machine", runtime.availableProcessors() + " cores (" + CpuModel.describe() + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; load average at the "
                + "end " + loadAverage() + " (a shared machine: other processes ran during the run)"));
        out.add(row("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        out.add(row("emulators", "kinesalite + dynalite (child processes on loopback; no Kinesis read limits)"));
        out.add(row("workload", settings.shards() + " shards, " + settings.keys() + " partition keys round robin, "
                + "handler sleeps " + settings.handlerSleep().toMillis() + " ms per record; one worker, fresh stream "
                + "and lease table per round, default window max(100, 10 x N), default executor; @KinesisListener rounds: a "
                + "Boot application per round, kcl.listener.concurrency=N, default BATCH checkpoints"));
        out.add(row("rate", "records / time from the first record finished to the last"));
        out.add("-".repeat(100));
        out.add(String.format(Locale.ROOT, "%-22s %9s %12s %9s %9s %11s %11s", "contender", "records", "rec/s", "ratio",
                "missing", "duplicates", "order viol."));
        Round baseline = rounds.stream().filter(round -> !round.name.startsWith("sequential")).findFirst()
                .orElse(rounds.get(0));
        for (Round round : rounds) {
            out.add(String.format(Locale.ROOT, "%-22s %,9d %,12.0f %8.2fx %9d %11d %11d", round.name, round.records,
                    round.tally.perSecond(), round.tally.perSecond() / baseline.tally.perSecond(),
                    round.tally.missing(), round.tally.duplicates(), round.tally.orderViolations()));
        }
        out.add("  ratio = rec/s / rec/s of " + baseline.name + " in this run; ideal at concurrency N: min(N, keys "
                + "per shard) x (1000 / " + settings.handlerSleep().toMillis() + ") x shards rec/s");
        out.add(rule);
        out.forEach(System.out::println);
    }

    private static String row(String name, String value) {
        return String.format(Locale.ROOT, "%-10s %s", name, value);
    }


    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void log(String line) {
        System.out.println(line);
    }
}
