package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Checks the logs of a chaos run against the engine's promises and returns a {@link ChaosReport}. Pure: it only
 * looks at {@link ChaosLogs}. Everything is counted exactly: a duplicate is every delivery of a record (shard and
 * position) that was delivered before, so duplicates = deliveries − distinct records.
 * <p>
 * The lines of all worker processes are walked in time order ({@code nanoTime} is one clock on one machine),
 * keeping per shard the highest checkpoint logged as successful and the time of its SHARD_END, per record its last
 * delivery, and per tenure what it did. A duplicate is <em>explained</em> when
 * <ul>
 * <li>its previous delivery was in the same tenure, in a batch whose processRecords threw (the engine delivers a
 * failed batch again), or</li>
 * <li>its previous delivery was in an older tenure (a lease move: kill -9, lost lease, release) and the record is
 * after the highest checkpoint of its shard that had succeeded when the new tenure began: no processor had been
 * told it was done.</li>
 * </ul>
 * Anything else is unexplained: a re-read of a finished shard, a record at or below a checkpoint that had
 * succeeded before the tenure began, a repeat within a tenure without a failure, or a delivery by an old tenure of a
 * record its successor already delivered. Each lease move (a tenure that follows another of the same shard) may
 * re-deliver at most one un-checkpointed batch plus the batches whose checkpoint is known to have failed.
 */
public final class ChaosChecker {

    /** Shards written to within this time after an event are the shards that must deliver again. */
    static final Duration RECOVERY_PROBE = Duration.ofSeconds(2);

    private record Delivery(Tenure tenure, int batch, LogLine line) {
    }

    /** The duplicates one tenure got from older tenures of its shard. */
    private static final class MoveDuplicates {

        long count;

        final Set<String> batches = new HashSet<>();

        final Set<String> failed = new HashSet<>();

        final Set<String> checkpointed = new HashSet<>();
    }

    private final ChaosLogs logs;

    private final ChaosReport report = new ChaosReport();

    private final Map<String, LogLine> writesById = new HashMap<>();

    private final Map<String, Tenure> tenures = new LinkedHashMap<>();

    private final Map<String, List<Tenure>> tenuresOfShard = new HashMap<>();

    private final Map<String, Position> highestCheckpoint = new HashMap<>();

    private final Map<String, LogLine> highestCheckpointLine = new HashMap<>();

    private final Map<String, LogLine> shardEnd = new HashMap<>();

    private final Map<String, LogLine> firstDelivery = new HashMap<>();

    private final Map<String, Delivery> lastDelivery = new HashMap<>();

    private final Map<Tenure, MoveDuplicates> moveDuplicates = new HashMap<>();

    private final Map<String, Long> killedAt = new HashMap<>();

    private final Map<String, Long> exitedAt = new HashMap<>();

    private ChaosChecker(ChaosLogs logs) {
        this.logs = logs;
    }

    /** Checks a run's logs. */
    public static ChaosReport check(ChaosLogs logs) {
        return new ChaosChecker(logs).run();
    }

    private ChaosReport run() {
        readWrites();
        readActions();
        for (LogLine line : logs.workerLines()) {
            switch (line.type()) {
                case 'I' -> initialize(line);
                case 'B' -> withTenure(line, tenure -> {
                    if (tenure.from == null) {
                        tenure.from = Position.parse(line.field(4));
                        if (tenure.from.compareTo(tenure.checkpointAtStart) < 0) {
                            report.tenuresBelowCheckpoint.add(line.quote() + " began below "
                                    + quote(highestCheckpointLine.get(tenure.shard)));
                        }
                    }
                });
                case 'D' -> withTenure(line, tenure -> deliver(tenure, line));
                case 'C' -> withTenure(line, tenure -> checkpointed(tenure, line));
                case 'E' -> withTenure(line, tenure -> {
                    tenure.failedCheckpoints.add(line.batch());
                    report.checkpointFailures.merge(line.field(4), 1L, Long::sum);
                });
                case 'T' -> withTenure(line, tenure -> {
                    tenure.thrown.add(line.batch());
                    report.processingFailures.merge(line.field(3), 1L, Long::sum);
                });
                case 'S' -> withTenure(line, tenure -> {
                    tenure.reason = line.field(2);
                    report.shutdownReasons.merge(line.field(2), 1L, Long::sum);
                });
                case 'P' -> process(line);
                case 'Q' -> faults(line);
                default -> report.harnessProblems.add("unexpected line in a worker log: " + line.quote());
            }
        }
        report.distinctIdsDelivered = firstDelivery.size();
        report.duplicates = report.deliveries - lastDelivery.size();
        checkLostAndOrder();
        moves();
        recoveries();
        return report;
    }

    private void readWrites() {
        for (LogLine write : logs.writes()) {
            if (writesById.put(write.field(1), write) != null) {
                report.harnessProblems.add("the producer acknowledged id " + write.field(1) + " twice: " + write.quote());
            }
        }
        report.written = writesById.size();
        report.startNanos = logs.actions().isEmpty() ? 0 : logs.actions().get(0).nanos();
    }

    private void readActions() {
        for (LogLine action : logs.actions()) {
            switch (action.field(0)) {
                case "KILL" -> killedAt.putIfAbsent(action.field(1), action.nanos());
                case "EXITED" -> {
                    exitedAt.putIfAbsent(action.field(1), action.nanos());
                    report.unexpectedExits.add(action.quote());
                }
                default -> {
                    // Other actions matter for recovery times only.
                }
            }
        }
    }

    private void initialize(LogLine line) {
        if (tenures.containsKey(line.tenure())) {
            report.harnessProblems.add("tenure initialized twice: " + line.quote());
            return;
        }
        String shard = line.shard();
        LogLine end = shardEnd.get(shard);
        if (end != null) {
            report.rereadInitializes.add(line.quote() + " after " + end.quote());
        }
        Tenure tenure = new Tenure(line, highestCheckpoint.getOrDefault(shard, Position.START));
        tenures.put(tenure.id, tenure);
        tenuresOfShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(tenure);
    }

    private void withTenure(LogLine line, java.util.function.Consumer<Tenure> action) {
        Tenure tenure = tenures.get(line.tenure());
        if (tenure == null || !tenure.shard.equals(line.shard())) {
            report.harnessProblems.add("line of a tenure that was not initialized for its shard: " + line.quote());
            return;
        }
        tenure.lastNanos = line.nanos();
        action.accept(tenure);
    }

    private void deliver(Tenure tenure, LogLine line) {
        report.deliveries++;
        String shard = tenure.shard;
        String id = line.field(5);
        Position position;
        try {
            Long.parseLong(id);
            position = Position.of(line.field(3), Long.parseLong(line.field(4)));
        }
        catch (IllegalArgumentException ex) {
            report.harnessProblems.add("delivery with a bad id or position: " + line.quote());
            return;
        }
        LogLine end = shardEnd.get(shard);
        if (end != null) {
            report.rereadDeliveries.add(line.quote() + " after " + end.quote());
        }
        if (latestTenure(shard) != tenure) {
            report.overlappingDeliveries.add(line.quote() + " while " + latestTenure(shard).init.quote());
        }
        LogLine write = writesById.get(id);
        if (write != null && !write.field(2).equals(line.field(6))) {
            report.harnessProblems.add("delivered with another partition key than written: " + line.quote()
                    + " vs " + write.quote());
        }
        firstDelivery.putIfAbsent(id, line);
        String record = shard + " " + position;
        Delivery previous = lastDelivery.put(record, new Delivery(tenure, line.batch(), line));
        if (previous == null) {
            if (write == null || !(write.field(3).equals(shard) && write.field(4).equals(line.field(3)))) {
                report.unacknowledgedCopies.add(line.quote());
            }
            return;
        }
        classifyDuplicate(tenure, line, position, previous, end);
    }

    private void classifyDuplicate(Tenure tenure, LogLine line, Position position, Delivery previous,
            @Nullable LogLine end) {
        String evidence = line.quote() + " again after " + previous.line().quote();
        if (previous.tenure() != tenure && previous.tenure().startNanos() <= tenure.startNanos()) {
            // A move into this tenure: count it for the move whatever the verdict.
            MoveDuplicates move = moveDuplicates.computeIfAbsent(tenure, t -> new MoveDuplicates());
            move.count++;
            String batch = previous.tenure().id + "#" + previous.batch();
            move.batches.add(batch);
            if (previous.tenure().checkpointed(previous.batch())) {
                move.checkpointed.add(batch);
            }
            else if (previous.tenure().failedToCheckpoint(previous.batch())) {
                move.failed.add(batch);
            }
        }
        if (end != null) {
            unexplained("re-read of a finished shard", evidence);
        }
        else if (previous.tenure() == tenure) {
            if (tenure.thrown.contains(previous.batch())) {
                explained("failed batch delivered again", evidence);
            }
            else {
                unexplained("delivered twice in one tenure without a failed batch", evidence);
            }
        }
        else if (previous.tenure().startNanos() > tenure.startNanos()) {
            unexplained("delivered by an old tenure after its successor had delivered it", evidence);
        }
        else if (position.compareTo(tenure.checkpointAtStart) > 0) {
            explained("lease move, after the last successful checkpoint", evidence);
        }
        else {
            unexplained("at or below a checkpoint that had succeeded before the tenure began", evidence + "; "
                    + tenure.init.quote() + " began after " + quote(highestCheckpointLine.get(tenure.shard)));
        }
    }

    private void checkpointed(Tenure tenure, LogLine line) {
        Position position;
        try {
            position = Position.parse(line.field(3));
        }
        catch (IllegalArgumentException ex) {
            report.harnessProblems.add("checkpoint with a bad position: " + line.quote());
            return;
        }
        String shard = tenure.shard;
        if (latestTenure(shard) != tenure) {
            report.supersededCheckpoints.add(line.quote() + " after " + latestTenure(shard).init.quote());
        }
        Position highest = highestCheckpoint.get(shard);
        if (highest == null || position.compareTo(highest) > 0) {
            highestCheckpoint.put(shard, position);
            highestCheckpointLine.put(shard, line);
        }
        if (position.isShardEnd()) {
            shardEnd.putIfAbsent(shard, line);
        }
        tenure.checkpointedBatch = Math.max(tenure.checkpointedBatch, line.batch());
    }

    private void process(LogLine line) {
        String event = line.field(1);
        if (event.equals("START_FAILED")) {
            report.startFailures.add(line.quote());
        }
        else if (event.equals("STOPPED") && line.fields().size() > 2 && !Boolean.parseBoolean(line.field(2))) {
            report.uncleanStops.add(line.quote());
        }
    }

    private void faults(LogLine line) {
        for (String figure : line.fields().subList(1, line.fields().size())) {
            int eq = figure.indexOf('=');
            if (eq < 0) {
                report.harnessProblems.add("bad fault figure: " + line.quote());
                continue;
            }
            report.faultsInjected.merge(figure.substring(0, eq), Long.parseLong(figure.substring(eq + 1)), Long::sum);
        }
    }

    private void checkLostAndOrder() {
        Map<String, List<LogLine>> byKey = new LinkedHashMap<>();
        for (LogLine write : logs.writes()) {
            byKey.computeIfAbsent(write.field(2), k -> new ArrayList<>()).add(write);
            if (!firstDelivery.containsKey(write.field(1))) {
                report.lost.add(write.quote());
            }
        }
        byKey.forEach((key, writes) -> {
            LogLine previousWrite = null;
            LogLine previousFirst = null;
            for (LogLine write : writes) {
                LogLine first = firstDelivery.get(write.field(1));
                if (first == null) {
                    continue;
                }
                if (previousFirst != null && first.nanos() < previousFirst.nanos()) {
                    report.orderViolations.add(key + ": id " + write.field(1) + " first delivered at " + first.quote()
                            + ", before id " + previousWrite.field(1) + " written earlier, first delivered at "
                            + previousFirst.quote());
                }
                previousWrite = write;
                previousFirst = first;
            }
        });
    }

    private void moves() {
        for (List<Tenure> ofShard : tenuresOfShard.values()) {
            for (int i = 1; i < ofShard.size(); i++) {
                Tenure previous = ofShard.get(i - 1);
                Tenure tenure = ofShard.get(i);
                String cause = cause(previous, tenure);
                MoveDuplicates duplicates = moveDuplicates.getOrDefault(tenure, new MoveDuplicates());
                ChaosReport.Move move = new ChaosReport.Move(tenure.id, tenure.shard, cause, duplicates.count,
                        duplicates.batches.size(), duplicates.failed.size(), duplicates.checkpointed.size());
                report.moves.add(move);
                if (move.overBound()) {
                    report.movesOverBound.add(tenure.init.quote() + " (" + cause + ") re-delivered "
                            + duplicates.count + " records of " + move.batches() + " batches " + first(duplicates.batches)
                            + ": " + duplicates.failed.size() + " with a failed checkpoint, "
                            + duplicates.checkpointed.size() + " already checkpointed");
                }
            }
        }
        report.moves.sort(java.util.Comparator.comparing(ChaosReport.Move::tenure));
    }

    private String cause(Tenure previous, Tenure tenure) {
        if (previous.reason != null) {
            return switch (previous.reason) {
                case "REQUESTED" -> "released (graceful shutdown)";
                case "ZOMBIE" -> "lease lost (ZOMBIE)";
                case "TERMINATE" -> "shard ended (TERMINATE), leased again";
                default -> "shutdown " + previous.reason;
            };
        }
        Long killed = killedAt.get(previous.worker);
        if (killed != null && killed <= tenure.startNanos()) {
            return "kill -9";
        }
        Long exited = exitedAt.get(previous.worker);
        if (exited != null && exited <= tenure.startNanos()) {
            return "worker process exited";
        }
        report.abandonedTenures.add(previous.init.quote() + " never got shutdown(), next tenure " + tenure.init.quote());
        return "ended without shutdown()";
    }

    private void recoveries() {
        List<LogLine> writes = logs.writes();
        for (LogLine action : logs.actions()) {
            String event = switch (action.field(0)) {
                case "KILL" -> "kill -9 of " + action.field(1);
                case "STOP" -> "graceful stop of " + action.field(1);
                case "EXITED" -> "exit of " + action.field(1);
                case "DYNAMODB_UP" -> "DynamoDB back after the outage";
                case "SPLIT" -> "split of " + action.field(1);
                case "MERGE" -> "merge of " + action.field(1) + " and " + action.field(2);
                default -> null;
            };
            if (event != null) {
                recovery(event, action.nanos(), writes);
            }
        }
    }

    private void recovery(String event, long at, List<LogLine> writes) {
        Map<String, Long> firstAfter = new LinkedHashMap<>();
        long probeEnd = at + RECOVERY_PROBE.toNanos();
        for (LogLine write : writes) {
            long sent = Long.parseLong(write.field(0));
            if (sent >= at && sent <= probeEnd) {
                firstAfter.putIfAbsent(write.field(3), Long.MAX_VALUE);
            }
        }
        if (firstAfter.isEmpty()) {
            return; // Nothing was written after it: nothing to recover (e.g. the final stop).
        }
        for (LogLine write : writes) {
            String shard = write.field(3);
            if (Long.parseLong(write.field(0)) < at || !firstAfter.containsKey(shard)) {
                continue;
            }
            LogLine first = firstDelivery.get(write.field(1));
            if (first != null && first.nanos() < firstAfter.get(shard)) {
                firstAfter.put(shard, first.nanos());
            }
        }
        String slowest = null;
        long latest = Long.MIN_VALUE;
        for (Map.Entry<String, Long> entry : firstAfter.entrySet()) {
            if (entry.getValue() > latest) {
                latest = entry.getValue();
                slowest = entry.getKey();
            }
        }
        report.recoveries.add(new ChaosReport.Recovery(event, at,
                latest == Long.MAX_VALUE ? null : Duration.ofNanos(latest - at), String.valueOf(slowest)));
    }

    private Tenure latestTenure(String shard) {
        List<Tenure> ofShard = tenuresOfShard.get(shard);
        return ofShard.get(ofShard.size() - 1);
    }

    private void explained(String reason, String evidence) {
        report.explained.computeIfAbsent(reason, r -> new Tally()).add(evidence);
    }

    private void unexplained(String reason, String evidence) {
        report.unexplained.computeIfAbsent(reason, r -> new Tally()).add(evidence);
    }

    /** A few of the batches (sorted), so that evidence stays readable. */
    private static String first(Set<String> batches) {
        List<String> sorted = batches.stream().sorted().toList();
        return sorted.size() <= 4 ? sorted.toString()
                : sorted.subList(0, 4).toString().replace("]", ", ... " + (sorted.size() - 4) + " more]");
    }

    private static String quote(@Nullable LogLine line) {
        return line == null ? "(no checkpoint)" : line.quote();
    }
}
