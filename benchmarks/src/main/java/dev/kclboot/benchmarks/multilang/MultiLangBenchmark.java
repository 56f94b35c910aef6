package dev.kclboot.benchmarks.multilang;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kclboot.test.LocalKinesis;

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

    private final Rig rig;

    private MultiLangBenchmark(Rig rig) {
        this.rig = rig;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(Rig.required("bench.jar"));
        String daemonClasspath = Rig.required("bench.daemon.classpath");
        Path processor = Path.of(Rig.required("bench.processor")).toAbsolutePath();
        int rounds = Integer.getInteger("bench.rounds", 3);
        int daemonRounds = Integer.getInteger("bench.daemon.rounds", 1);
        Path work = Files.createDirectories(Path.of(System.getProperty("bench.work", "target/multilang-bench")));
        try (LocalKinesis local = LocalKinesis.start()) {
            MultiLangBenchmark benchmark = new MultiLangBenchmark(new Rig(local, work, processor));
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
        String stream = rig.local().createStream(2);
        String application = LocalKinesis.uniqueName("bench");
        if (contender.kcl3Table()) {
            rig.createKcl3LeaseTable(application);
        }
        String tag = contender.name().replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT) + "-" + index;
        EventsFile events = new EventsFile(rig.file("events-" + tag + ".log"));
        Files.deleteIfExists(rig.file("events-" + tag + ".log"));
        Path properties = rig.writeProperties(tag, application, stream, rig.file("events-" + tag + ".log"));
        rig.put(stream, "a", 100);

        long start = System.nanoTime();
        Process process = rig.launch(contender, properties, rig.file("host-" + tag + "-1.log"));
        try {
            return measure(contender, index, events, stream, properties, tag, start, process);
        }
        finally {
            process.destroyForcibly();
        }
    }

    private Round measure(Contender contender, int index, EventsFile events, String stream, Path properties,
            String tag, long start, Process process) throws Exception {
        long firstRecord = Rig.awaitNanos(() -> events.delivered("a-"), process) - start;
        Rig.awaitNanos(() -> events.committed("a-") == 100, process);
        long stopStart = System.nanoTime();
        process.destroy();
        process.waitFor(Rig.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        long stop = System.nanoTime() - stopStart;
        long shutdownRequested = events.count("SHUTDOWN_REQUESTED");

        rig.put(stream, "b", 50);
        long restart = System.nanoTime();
        Process second = rig.launch(contender, properties, rig.file("host-" + tag + "-2.log"));
        long resume;
        try {
            resume = Rig.awaitNanos(() -> events.delivered("b-"), second) - restart;
            Rig.awaitNanos(() -> events.committed("b-") == 50, second);
            second.destroy();
            second.waitFor(Rig.PATIENCE.toSeconds(), TimeUnit.SECONDS);
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
