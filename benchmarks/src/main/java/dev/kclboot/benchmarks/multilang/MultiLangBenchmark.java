package dev.kclboot.benchmarks.multilang;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Start → first record, graceful stop, and resume after a restart: kcl-multilang against the KCL's MultiLangDaemon,
 * each a separate JVM on the same properties keys, the same Python processor and the same emulators, timed from
 * outside. A round: a fresh 2-shard stream with 100 records and a fresh application; start the host (clock starts at
 * process start) until the processor logs its first record; once everything is checkpointed, SIGTERM until the
 * process exits (and how many children got {@code shutdownRequested}); 50 more records, start again until the first
 * of them is delivered; SIGTERM again. Prints each round and the medians, and the daemon/ours ratio.
 * <p>
 * Run by {@code benchmarks/run-multilang.sh}, which builds the jar and fetches the daemon into a temporary folder.
 * System properties: {@code bench.jar}, {@code bench.daemon.classpath}, {@code bench.processor},
 * {@code bench.rounds} (ours, default 3), {@code bench.daemon.rounds} (default 1), {@code bench.work}.
 */
public final class MultiLangBenchmark {

    private static final Duration PATIENCE = Duration.ofMinutes(8);

    private final LocalKinesis local;

    private final Path work;

    private final Path processor;

    private MultiLangBenchmark(LocalKinesis local, Path work, Path processor) {
        this.local = local;
        this.work = work;
        this.processor = processor;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(required("bench.jar"));
        String daemonClasspath = required("bench.daemon.classpath");
        Path processor = Path.of(required("bench.processor")).toAbsolutePath();
        int rounds = Integer.getInteger("bench.rounds", 3);
        int daemonRounds = Integer.getInteger("bench.daemon.rounds", 1);
        Path work = Files.createDirectories(Path.of(System.getProperty("bench.work", "target/multilang-bench")));
        try (LocalKinesis local = LocalKinesis.start()) {
            MultiLangBenchmark benchmark = new MultiLangBenchmark(local, work, processor);
            Map<String, List<Round>> results = new LinkedHashMap<>();
            Contender ours = Contender.ours(jar);
            Contender daemon = Contender.daemon(daemonClasspath);
            // Alternate, so that both see the same machine load over the run.
            for (int i = 0; i < Math.max(rounds, daemonRounds); i++) {
                if (i < rounds) {
                    results.computeIfAbsent(ours.name(), name -> new ArrayList<>()).add(benchmark.round(ours, i));
                }
                if (i < daemonRounds) {
                    results.computeIfAbsent(daemon.name(), name -> new ArrayList<>()).add(benchmark.round(daemon, i));
                }
            }
            report(results, ours.name(), daemon.name());
        }
    }

    private Round round(Contender contender, int index) throws Exception {
        String stream = local.createStream(2);
        String application = LocalKinesis.uniqueName("bench");
        if (contender.kcl3Table()) {
            createKcl3LeaseTable(application);
        }
        String tag = contender.name().replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT) + "-" + index;
        EventsFile events = new EventsFile(work.resolve("events-" + tag + ".log"));
        Files.deleteIfExists(work.resolve("events-" + tag + ".log"));
        Path properties = writeProperties(tag, application, stream, work.resolve("events-" + tag + ".log"));
        put(stream, "a", 100);

        long start = System.nanoTime();
        Process process = launch(contender, properties, work.resolve("host-" + tag + "-1.log"));
        try {
            return measure(contender, index, events, stream, properties, tag, start, process);
        }
        finally {
            process.destroyForcibly();
        }
    }

    private Round measure(Contender contender, int index, EventsFile events, String stream, Path properties,
            String tag, long start, Process process) throws Exception {
        long firstRecord = awaitNanos(() -> events.delivered("a-"), process) - start;
        awaitNanos(() -> events.committed("a-") == 100, process);
        long stopStart = System.nanoTime();
        process.destroy();
        process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        long stop = System.nanoTime() - stopStart;
        long shutdownRequested = events.count("SHUTDOWN_REQUESTED");

        put(stream, "b", 50);
        long restart = System.nanoTime();
        Process second = launch(contender, properties, work.resolve("host-" + tag + "-2.log"));
        long resume;
        try {
            resume = awaitNanos(() -> events.delivered("b-"), second) - restart;
            awaitNanos(() -> events.committed("b-") == 50, second);
            second.destroy();
            second.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        finally {
            second.destroyForcibly();
        }
        Round round = new Round(firstRecord, stop, resume, shutdownRequested);
        System.out.printf(Locale.ROOT, "%-26s round %d: start->first record %s, graceful stop %s (%d children got "
                + "shutdownRequested), restart->resume %s%n", contender.name(), index + 1, seconds(firstRecord),
                seconds(stop), shutdownRequested, seconds(resume));
        return round;
    }

    private Path writeProperties(String tag, String application, String stream, Path events) throws IOException {
        String text = String.join("\n",
                "executableName = python3 " + processor + " --events " + events + " --style v3",
                "applicationName = " + application,
                "streamName = " + stream,
                "regionName = " + local.region().id(),
                "kinesisEndpoint = " + local.kinesisEndpoint(),
                "dynamoDBEndpoint = " + local.dynamoDbEndpoint(),
                "AwsCredentialsProvider = DefaultCredentialsProvider",
                "processingLanguage = python/3",
                "initialPositionInStream = TRIM_HORIZON",
                "RetrievalMode = POLLING",
                "idleTimeBetweenReadsInMillis = 250",
                "shutdownGraceMillis = 20000",
                "metricsLevel = NONE",
                "");
        Path file = work.resolve("app-" + tag + ".properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private Process launch(Contender contender, Path properties, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(contender.command(properties)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalKinesis.ACCESS_KEY_ID);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalKinesis.SECRET_ACCESS_KEY);
        builder.environment().put("AWS_REGION", local.region().id());
        return builder.start();
    }

    /** The KCL 3.x daemon wants its lease table with the LeaseOwnerToLeaseKeyIndex, which dynalite cannot add later. */
    private void createKcl3LeaseTable(String table) {
        local.dynamoDbClient().createTable(request -> request.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("leaseKey").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("leaseOwner").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("LeaseOwnerToLeaseKeyIndex")
                        .keySchema(KeySchemaElement.builder().attributeName("leaseOwner").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.RANGE).build())
                        .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY)).build()));
    }

    private void put(String stream, String prefix, int count) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key" + (i % 10))
                    .data(SdkBytes.fromString(prefix + "-" + i, StandardCharsets.UTF_8)).build());
        }
        local.kinesisClient().putRecords(request -> request.streamName(stream).records(entries));
    }

    private static long awaitNanos(BooleanSupplier condition, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The host exited with code " + process.exitValue() + " while waiting");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Gave up after " + PATIENCE);
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    private static void report(Map<String, List<Round>> results, String ours, String daemon) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %16s %16s %16s%n", "median", "start->first", "graceful stop",
                "restart->resume");
        Map<String, Round> medians = new LinkedHashMap<>();
        results.forEach((name, rounds) -> {
            Round median = new Round(median(rounds, Round::firstRecordNanos), median(rounds, Round::stopNanos),
                    median(rounds, Round::resumeNanos), rounds.get(0).shutdownRequested());
            medians.put(name, median);
            System.out.printf(Locale.ROOT, "%-30s %16s %16s %16s%n", name + " (" + rounds.size() + " rounds)",
                    seconds(median.firstRecordNanos()), seconds(median.stopNanos()), seconds(median.resumeNanos()));
        });
        Round mine = medians.get(ours);
        Round theirs = medians.get(daemon);
        if (mine != null && theirs != null) {
            System.out.printf(Locale.ROOT, "%-30s %16s %16s %16s%n", "daemon / kcl-multilang",
                    ratio(theirs.firstRecordNanos(), mine.firstRecordNanos()), ratio(theirs.stopNanos(), mine.stopNanos()),
                    ratio(theirs.resumeNanos(), mine.resumeNanos()));
        }
    }

    private static long median(List<Round> rounds, java.util.function.ToLongFunction<Round> metric) {
        List<Long> values = rounds.stream().map(metric::applyAsLong).sorted(Comparator.naturalOrder()).toList();
        return values.get(values.size() / 2);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String ratio(long theirs, long ours) {
        return String.format(Locale.ROOT, "%.1fx", theirs / (double) ours);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Set -D" + property + " (benchmarks/run-multilang.sh does)");
        }
        return value;
    }

    /**
     * One round's figures.
     * @param firstRecordNanos process start to the first record delivered
     * @param stopNanos SIGTERM to process exit
     * @param resumeNanos second process start to the first new record delivered
     * @param shutdownRequested children that got shutdownRequested on the stop
     */
    record Round(long firstRecordNanos, long stopNanos, long resumeNanos, long shutdownRequested) {
    }
}
