package dev.kclboot.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.benchmarks.Watchdog;
import dev.kclboot.test.LocalKinesis;

/**
 * The scale benchmark of issue 11, a main class (not a test) run by {@code benchmarks/run-scale.sh}: kinesis-local
 * (open-shard limit 256) and dynalite as child processes; for each stream size S of {@link ScaleSettings#shards()}
 * and each worker count, a {@link ScaleRun} with latency added to every DynamoDB call of the workers; one-worker runs
 * with one DynamoDB stall for the sizes of {@link ScaleSettings#stallShards()}; then the {@link IdleRun} at 4 leases,
 * side by side with KCL 3.5.1 when its jars are given. Prints a line per phase as it goes and a summary
 * ({@link ScaleReport}) with every figure and each goal MET or MISSED. Exit code 0 when every run completed (goals
 * missed do not fail it: they are figures), 1 when a run failed or a phase timed out, 2 for bad arguments.
 */
public final class ScaleBenchmark {

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ScaleSettings settings;
        try {
            settings = ScaleSettings.parse(args, System.getProperties());
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Watchdog.start("scale", settings.timeout());
        System.exit(run(settings));
    }

    private static int run(ScaleSettings settings) throws Exception {
        int largest = settings.shards().stream().mapToInt(Integer::intValue).max().orElse(0);
        int limit = Math.max(256, largest + 2 * settings.idleShards() + 8);
        ScaleRun.log("Starting kinesis-local (SHARD_LIMIT " + limit + ") + dynalite ...");
        List<ScaleFigures> runs = new ArrayList<>();
        IdleRun.Figures idle = null;
        boolean failed = false;
        try (LocalKinesis local = LocalKinesis.builder().shardLimit(limit).start();
                ThreadCensus census = new ThreadCensus(250)) {
            if (settings.idleRun()) {
                ScaleRun.log("Idle run: " + settings.idleShards() + " shards, " + settings.idle().toSeconds() + " s ...");
                try {
                    idle = new IdleRun(local, settings, census).run();
                }
                catch (Exception ex) {
                    failed = true;
                    ScaleRun.log("  idle run FAILED: " + ex);
                    ex.printStackTrace(System.out);
                }
            }
            if (settings.scale()) {
                for (int shards : settings.shards()) {
                    for (int workers : settings.workers()) {
                        failed |= !runOne(local, settings, census, shards, workers, Duration.ZERO, runs);
                    }
                    if (settings.stallShards().contains(shards)) {
                        failed |= !runOne(local, settings, census, shards, 1, settings.stall(), runs);
                    }
                }
            }
        }
        ScaleReport report = new ScaleReport(settings, runs, idle);
        System.out.println();
        report.lines().forEach(System.out::println);
        boolean problems = runs.stream().anyMatch(f -> !f.problems().isEmpty());
        return failed || problems ? 1 : 0;
    }

    private static boolean runOne(LocalKinesis local, ScaleSettings settings, ThreadCensus census, int shards,
            int workers, Duration stall, List<ScaleFigures> runs) {
        ScaleRun.log("Run: " + shards + " shards, " + workers + " worker(s), +" + settings.latency().toMillis()
                + " ms per DynamoDB call" + (stall.isZero() ? "" : ", one " + stall.toMillis() + " ms stall") + " ...");
        try {
            runs.add(new ScaleRun(local, settings, census, shards, workers, stall).run());
            return true;
        }
        catch (Exception ex) {
            ScaleRun.log("  run FAILED: " + ex);
            ex.printStackTrace(System.out);
            return false;
        }
    }

}
