package dev.kclboot.benchmarks.scale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import dev.kclboot.test.LocalKinesis;

/**
 * The idle run: one worker on a stream of a few shards and no records, no added latency, counting its DynamoDB
 * requests for a while once it holds every lease; at the same time (when a KCL classpath is given) KCL 3.5.1 does the
 * same on its own stream of the same size against the same emulators, so both are measured in the same minutes.
 */
final class IdleRun {

    /** Our counts and, when it ran, the KCL's; {@code kclProblem} says why there is no KCL figure. */
    record Figures(int shards, CallCounts startup, CallCounts window, long heldAfterNanos, long windowNanos,
            KclBaseline.Result kcl, String kclProblem) {

        double requestsPerShardHour() {
            return CallCounts.perShardHour(window.total().requests(), shards, windowNanos);
        }

        double kclRequestsPerShardHour() {
            return kcl == null ? 0 : CallCounts.perShardHour(kcl.window().total().requests(), shards, kcl.windowNanos());
        }
    }

    private final LocalKinesis local;

    private final ScaleSettings settings;

    private final ThreadCensus census;

    IdleRun(LocalKinesis local, ScaleSettings settings, ThreadCensus census) {
        this.local = local;
        this.settings = settings;
        this.census = census;
    }

    Figures run() throws Exception {
        int shards = settings.idleShards();
        String ourStream = Streams.create(local, "idle", shards);
        String kclStream = Streams.create(local, "idle-kcl", shards);
        KclBaseline.Running kcl = null;
        String kclProblem = null;
        if (settings.kclClasspath().isEmpty()) {
            kclProblem = "no KCL classpath given (--kclClasspath; benchmarks/run-scale.sh fetches KCL 3.5.1)";
        }
        else {
            try {
                kcl = new KclBaseline(local, settings.kclClasspath(), Path.of(settings.kclProgram()),
                        Path.of("benchmarks", "target", "scale-kcl")).start(kclStream,
                        LocalKinesis.uniqueName("idle-kcl"), shards, settings.idle());
                ScaleRun.log("  KCL 3.5.1 started on " + kclStream);
            }
            catch (Exception ex) {
                kclProblem = "the KCL baseline could not start: " + ex;
            }
        }
        try (ScaleWorker worker = new ScaleWorker(local, LocalKinesis.uniqueName("idle"), ourStream, "worker-idle",
                Duration.ZERO, settings.failoverTime(), settings.maxLeasesToSteal(), settings.virtualThreads(), settings.asyncClients(),
                new DeliveryLedger())) {
            long start = worker.start();
            long deadline = start + Duration.ofMinutes(2).toNanos();
            while (worker.leases() < shards) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The idle worker did not take its " + shards + " leases in 2 min");
                }
                Thread.sleep(20);
            }
            long held = System.nanoTime();
            CallCounts startup = worker.calls.snapshot();
            ScaleRun.log(String.format(Locale.ROOT, "  our worker holds all %d leases after %s; idle for %d s", shards,
                    ScaleRun.seconds(held - start), settings.idle().toSeconds()));
            Thread.sleep(settings.idle().toMillis());
            CallCounts window = worker.calls.snapshot().minus(startup);
            long windowNanos = System.nanoTime() - held;
            worker.shutdown(Duration.ofSeconds(30));
            KclBaseline.Result kclResult = null;
            if (kcl != null) {
                try {
                    kclResult = kcl.await();
                }
                catch (Exception ex) {
                    kclProblem = ex.getMessage();
                }
            }
            return new Figures(shards, startup, window, held - start, windowNanos, kclResult, kclProblem);
        }
        finally {
            if (kcl != null) {
                kcl.destroy();
            }
            Streams.delete(local, ourStream);
            Streams.delete(local, kclStream);
        }
    }
}
