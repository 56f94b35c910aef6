package dev.kclboot.benchmarks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.kclboot.benchmarks.chaos.ChaosSchedule.Step;
import dev.kclboot.test.LocalKinesis;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The orchestrator of one chaos run: starts kinesis-local and a persistent dynalite, creates a stream, starts the
 * worker processes ({@link WorkerFleet}) sharing one application, runs the {@link IdProducer}, and plays the
 * {@link ChaosSchedule} (splits and merges, kill -9 and graceful restarts, a DynamoDB outage). Then it stops
 * producing, waits until every acknowledged id was delivered (or the drain timeout), lets the workers run a little
 * longer so late re-reads show, stops them gracefully, and hands the logs to the {@link ChaosChecker}.
 * <p>
 * The run's directory keeps everything: {@code producer.log}, {@code actions.log}, one {@code w<slot>.<n>.log} and
 * {@code .out} per worker process, and {@code report.txt}.
 */
public final class ChaosRun {

    /**
     * What a run produced.
     * @param dir the run's directory
     * @param report the checker's report
     * @param harnessProblems what went wrong in the harness itself (an action that failed, a forced stop...)
     * @param actions the actions performed, in order, as logged
     * @param wallTime how long the run took, emulators included
     */
    public record Outcome(Path dir, ChaosReport report, List<String> harnessProblems, List<String> actions,
            Duration wallTime) {

        /** Rules broken and harness problems together; empty when the run passed. */
        public List<String> problems() {
            List<String> all = new ArrayList<>(report.violations());
            harnessProblems.forEach(problem -> all.add("harness: " + problem));
            return all;
        }
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ChaosSettings settings;

    private final Random random;

    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

    private final List<String> performed = new ArrayList<>();

    private @Nullable List<String> lastSplitChildren;

    private @Nullable String lastMerged;

    public ChaosRun(ChaosSettings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** Runs the whole thing and checks it. */
    public Outcome run() throws InterruptedException {
        long started = System.nanoTime();
        Path dir = settings.dir().resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss")) + "-seed" + settings.seed());
        try {
            Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create " + dir, ex);
        }
        log("Chaos run in " + dir.toAbsolutePath() + ": " + settings.describe());
        try (LineLog actions = new LineLog(dir.resolve(ChaosLogs.ACTIONS));
                LineLog producerLog = new LineLog(dir.resolve(ChaosLogs.PRODUCER));
                LocalKinesis local = LocalKinesis.builder().persistentDynamoDb(true).start()) {
            runWith(local, dir, actions, producerLog);
        }
        ChaosReport report;
        try {
            report = ChaosChecker.check(ChaosLogs.read(dir));
        }
        catch (IllegalArgumentException ex) {
            // A malformed line is a harness bug: report it rather than a verdict on the engine.
            problems.add("the logs could not be parsed: " + ex.getMessage());
            report = ChaosChecker.check(ChaosLogs.parse(List.of(), java.util.Map.of(), List.of()));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        Outcome outcome = new Outcome(dir, report, List.copyOf(problems), List.copyOf(performed), wall);
        writeReport(outcome);
        return outcome;
    }

    private void runWith(LocalKinesis local, Path dir, LineLog actions, LineLog producerLog)
            throws InterruptedException {
        String stream = local.createStream(LocalKinesis.uniqueName("chaos"), settings.shards());
        String application = LocalKinesis.uniqueName("chaos-app");
        long parentPid = ProcessHandle.current().pid();
        Function<String, WorkerOptions> options = workerId -> new WorkerOptions(workerId, stream, application,
                local.kinesisEndpoint(), local.dynamoDbEndpoint(), dir.resolve(workerId + ".log"), settings.faultRate(),
                settings.processorFailureRate(), settings.seed() * 1_000_003L + workerId.hashCode(),
                settings.failoverTime(), settings.idleTimeBetweenReads(), settings.shardSyncInterval(), parentPid);
        ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chaos-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        Resharder resharder = new Resharder(local.kinesisClient(), stream);
        try (WorkerFleet fleet = new WorkerFleet(settings.workers(), options, System.getProperty("java.class.path"),
                settings.workerJvmOptions(), dir, actions, settings.restartDelay());
                IdProducer producer = new IdProducer(local.kinesisClient(), stream, settings.keys(),
                        settings.keysPerRequest(), settings.putInterval(), producerLog)) {
            fleet.startAll();
            supervisor.scheduleWithFixedDelay(() -> {
                try {
                    fleet.supervise();
                }
                catch (RuntimeException ex) {
                    problems.add("supervisor: " + ex);
                }
            }, 250, 250, TimeUnit.MILLISECONDS);
            producer.start();
            long start = System.nanoTime();
            for (Step step : ChaosSchedule.plan(settings)) {
                sleepUntil(start + step.at().toNanos());
                try {
                    perform(step, fleet, resharder, local, actions);
                }
                catch (RuntimeException ex) {
                    problems.add("action " + step.kind() + " at +" + step.at().toSeconds() + " s failed: " + ex);
                    log("  action " + step.kind() + " failed: " + ex);
                }
            }
            sleepUntil(start + settings.duration().toNanos());
            producer.close();
            actions.append('A', "PRODUCER_STOP", producer.acknowledged());
            log(String.format("Producer stopped: %d ids acknowledged, %d entries refused, %d requests failed, "
                    + "%d still pending", producer.acknowledged(), producer.refusedEntries(), producer.failedRequests(),
                    producer.unacknowledgedAtEnd()));
            if (producer.failure() != null) {
                problems.add("the producer stopped by itself: " + producer.failure());
            }
            audit(local, resharder, dir);
            drain(dir, actions);
            Thread.sleep(settings.linger().toMillis());
            supervisor.shutdownNow();
            log("Stopping the workers gracefully ...");
            fleet.stopAll(STOP_TIMEOUT);
            problems.addAll(fleet.problems());
        }
        finally {
            supervisor.shutdownNow();
        }
    }

    private void perform(Step step, WorkerFleet fleet, Resharder resharder, LocalKinesis local, LineLog actions)
            throws InterruptedException {
        switch (step.kind()) {
            case SPLIT -> split(resharder, actions, null);
            case SPLIT_MERGED -> split(resharder, actions, lastMerged);
            case MERGE_CHILDREN -> merge(resharder, actions, lastSplitChildren);
            case KILL -> {
                int slot = pickSlot(fleet);
                String killed = fleet.kill(slot);
                done("kill -9 " + killed);
                Thread.sleep(settings.restartDelay().toMillis());
                done("start " + fleet.start(slot));
            }
            case RESTART -> {
                int slot = pickSlot(fleet);
                done("graceful stop " + fleet.stop(slot, STOP_TIMEOUT));
                done("start " + fleet.start(slot));
            }
            case DYNAMODB_OUTAGE -> {
                actions.append('A', "DYNAMODB_DOWN");
                local.stopDynamoDb();
                done("DynamoDB down for " + settings.outage().toSeconds() + " s");
                Thread.sleep(settings.outage().toMillis());
                local.restartDynamoDb();
                actions.append('A', "DYNAMODB_UP");
                done("DynamoDB up");
            }
        }
    }

    /** Splits {@code preferred} when it is open, else a random open shard; merges instead at the shard limit. */
    private void split(Resharder resharder, LineLog actions, @Nullable String preferred) {
        List<Shard> open = resharder.openShards();
        if (open.size() >= settings.maxOpenShards()) {
            merge(resharder, actions, null);
            return;
        }
        String target = open.stream().map(Shard::shardId).filter(id -> id.equals(preferred)).findFirst()
                .orElseGet(() -> open.get(random.nextInt(open.size())).shardId());
        List<String> children = resharder.split(target);
        actions.append('A', "SPLIT", target, String.join(",", children));
        lastSplitChildren = children;
        done("split " + target + " -> " + children);
    }

    /** Merges the two {@code children} when both are open, else a random pair of adjacent open shards. */
    private void merge(Resharder resharder, LineLog actions, @Nullable List<String> children) {
        Set<String> open = Set.copyOf(resharder.openShards().stream().map(Shard::shardId).toList());
        List<String> pair = children != null && open.containsAll(children) ? children
                : resharder.adjacentPair(random::nextInt).orElse(null);
        if (pair == null) {
            problems.add("no two adjacent open shards to merge");
            return;
        }
        String child = resharder.merge(pair.get(0), pair.get(1));
        actions.append('A', "MERGE", pair.get(0), pair.get(1), child);
        lastMerged = child;
        lastSplitChildren = null;
        done("merge " + pair + " -> " + child);
    }

    private int pickSlot(WorkerFleet fleet) {
        List<Integer> running = fleet.runningSlots();
        if (running.isEmpty()) {
            throw new IllegalStateException("no worker is running");
        }
        return running.get(random.nextInt(running.size()));
    }

    /** Compares the producer's log with what the stream holds (the producer has stopped, nothing is written). */
    private void audit(LocalKinesis local, Resharder resharder, Path dir) {
        StreamAudit.Result audit = new StreamAudit(local.kinesisClient(), resharder)
                .audit(ChaosLogs.parse(lines(dir.resolve(ChaosLogs.PRODUCER)), java.util.Map.of(), List.of()).writes());
        log("Stream audit: " + audit.recordsInStream() + " records in the stream, " + audit.unacknowledgedRecords()
                + " not acknowledged to the producer, " + audit.problems().size() + " acknowledged records missing");
        audit.problems().stream().limit(Tally.EXAMPLES).forEach(problem -> problems.add("stream audit: " + problem));
        if (audit.problems().size() > Tally.EXAMPLES) {
            problems.add("stream audit: " + (audit.problems().size() - Tally.EXAMPLES) + " more");
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }

    /** Waits until every acknowledged id was delivered at least once, or the drain timeout. */
    private void drain(Path dir, LineLog actions) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        int missing = -1;
        while (System.nanoTime() < deadline) {
            try {
                missing = ChaosLogs.read(dir).undeliveredIds().size();
            }
            catch (IllegalArgumentException ex) {
                // A worker was writing the last line while we read it; read again in a moment.
                missing = -1;
            }
            if (missing == 0) {
                actions.append('A', "DRAINED");
                log("Every acknowledged id was delivered");
                return;
            }
            Thread.sleep(1000);
        }
        actions.append('A', "DRAIN_TIMEOUT", missing);
        log("Drain timeout: " + missing + " acknowledged ids not delivered after " + settings.drainTimeout());
    }

    private void writeReport(Outcome outcome) {
        StringBuilder text = new StringBuilder();
        text.append("Chaos run ").append(outcome.dir().getFileName()).append(": ").append(settings.describe())
                .append('\n').append("wall time ").append(outcome.wallTime().toSeconds()).append(" s\n")
                .append("actions: ").append(String.join("; ", outcome.actions())).append('\n')
                .append(outcome.report().format());
        outcome.harnessProblems().forEach(problem -> text.append("HARNESS PROBLEM: ").append(problem).append('\n'));
        try {
            Files.writeString(outcome.dir().resolve("report.txt"), text, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            problems.add("cannot write the report: " + ex);
        }
    }

    private void done(String action) {
        performed.add(action);
        log("  " + action);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void log(String message) {
        System.out.println("[chaos " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] "
                + message);
    }
}
