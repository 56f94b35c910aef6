package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What {@link ChaosChecker} found in the logs of a run: the figures, the rules that were broken
 * ({@link #violations()}), and for each finding the first few log lines behind it ({@link #format()}).
 * <p>
 * Rules: no acknowledged id lost; first deliveries of each key in write order; no delivery or initialize of a shard
 * after its successful SHARD_END checkpoint; every duplicate explained (by a lease move, the record being after the
 * last checkpoint that had succeeded when the new tenure began, or by a batch whose processRecords threw); no lease
 * move re-delivering more un-checkpointed batches than one plus those whose checkpoint failed; no worker process
 * exiting by itself; every shard delivering again after each disruption; no harness problem.
 */
public final class ChaosReport {

    /** One event of the run and how long until every shard that had records written after it delivered again. */
    public record Recovery(String event, long atNanos, @Nullable Duration time, String slowest) {

        public boolean recovered() {
            return time != null;
        }
    }

    /**
     * The duplicates one lease move caused: records of how many earlier batches came again, how many of those had a
     * failed checkpoint, how many had been checkpointed. A move is within the bound when no checkpointed batch came
     * again and at most one batch beyond those with a failed checkpoint (the one in flight).
     */
    public record Move(String tenure, String shard, String cause, long duplicates, int batches, int failedBatches,
            int checkpointedBatches) {

        public boolean overBound() {
            return checkpointedBatches > 0 || batches - failedBatches - checkpointedBatches > 1;
        }
    }

    long written;

    long deliveries;

    long distinctIdsDelivered;

    long duplicates;

    long startNanos;

    final Tally lost = new Tally();

    final Tally unacknowledgedCopies = new Tally();

    final Tally orderViolations = new Tally();

    final Tally rereadDeliveries = new Tally();

    final Tally rereadInitializes = new Tally();

    final Map<String, Tally> explained = new TreeMap<>();

    final Map<String, Tally> unexplained = new TreeMap<>();

    final List<Move> moves = new ArrayList<>();

    final Tally movesOverBound = new Tally();

    final Tally tenuresBelowCheckpoint = new Tally();

    final Tally overlappingDeliveries = new Tally();

    final Tally supersededCheckpoints = new Tally();

    final Tally abandonedTenures = new Tally();

    final List<Recovery> recoveries = new ArrayList<>();

    final Map<String, Long> faultsInjected = new TreeMap<>();

    final Map<String, Long> checkpointFailures = new TreeMap<>();

    final Map<String, Long> processingFailures = new TreeMap<>();

    final Map<String, Long> shutdownReasons = new TreeMap<>();

    final Tally startFailures = new Tally();

    final Tally uncleanStops = new Tally();

    final Tally unexpectedExits = new Tally();

    final Tally harnessProblems = new Tally();

    ChaosReport() {
    }

    /** Records the producer acknowledged. */
    public long written() {
        return written;
    }

    /** Delivery lines (every delivery, duplicates included). */
    public long deliveries() {
        return deliveries;
    }

    public long distinctIdsDelivered() {
        return distinctIdsDelivered;
    }

    /** Deliveries of a record (shard and position) delivered before: deliveries minus distinct records, exactly. */
    public long duplicates() {
        return duplicates;
    }

    public long explainedDuplicates() {
        return explained.values().stream().mapToLong(Tally::count).sum();
    }

    public long unexplainedDuplicates() {
        return unexplained.values().stream().mapToLong(Tally::count).sum();
    }

    public Tally lost() {
        return lost;
    }

    public Tally orderViolations() {
        return orderViolations;
    }

    public Tally rereadDeliveries() {
        return rereadDeliveries;
    }

    public Tally rereadInitializes() {
        return rereadInitializes;
    }

    public Map<String, Tally> explained() {
        return Map.copyOf(explained);
    }

    public Map<String, Tally> unexplained() {
        return Map.copyOf(unexplained);
    }

    public List<Move> moves() {
        return List.copyOf(moves);
    }

    public Tally movesOverBound() {
        return movesOverBound;
    }

    public List<Recovery> recoveries() {
        return List.copyOf(recoveries);
    }

    public Tally unexpectedExits() {
        return unexpectedExits;
    }

    public Tally startFailures() {
        return startFailures;
    }

    public Tally abandonedTenures() {
        return abandonedTenures;
    }

    public Tally harnessProblems() {
        return harnessProblems;
    }

    public Tally unacknowledgedCopies() {
        return unacknowledgedCopies;
    }

    public Map<String, Long> faultsInjected() {
        return Map.copyOf(faultsInjected);
    }

    /** The rules that were broken, one sentence each; empty when the run passed. */
    public List<String> violations() {
        List<String> violations = new ArrayList<>();
        rule(violations, lost.count(), "acknowledged ids were never delivered (lost)");
        rule(violations, orderViolations.count(), "keys had a first delivery before an earlier write's (order)");
        rule(violations, rereadDeliveries.count(), "records were delivered after their shard's SHARD_END checkpoint"
                + " (re-reads of finished shards)");
        rule(violations, rereadInitializes.count(), "processors were initialized for a shard after its SHARD_END"
                + " checkpoint (finished shards leased again)");
        rule(violations, unexplainedDuplicates(), "duplicates are not explained by a lease move or a failed batch");
        rule(violations, movesOverBound.count(), "lease moves re-delivered more than one un-checkpointed batch");
        rule(violations, unexpectedExits.count(), "worker processes exited by themselves (" + startFailures.count()
                + " of them because start() failed)");
        long unrecovered = recoveries.stream().filter(r -> !r.recovered()).count();
        rule(violations, unrecovered, "disruptions after which some shard never delivered again");
        rule(violations, harnessProblems.count(), "harness problems (the logs themselves are inconsistent)");
        return violations;
    }

    private static void rule(List<String> violations, long count, String text) {
        if (count > 0) {
            violations.add(count + " " + text);
        }
    }

    /** The whole report: figures, findings with their evidence, and the verdict. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("=== Chaos report ===\n");
        line(out, "written (acknowledged)", written);
        line(out, "deliveries", deliveries);
        line(out, "distinct ids delivered", distinctIdsDelivered);
        tally(out, "lost", lost);
        tally(out, "unacknowledged copies (a failed put that landed; info)", unacknowledgedCopies);
        tally(out, "order violations", orderViolations);
        tally(out, "re-reads of finished shards: deliveries", rereadDeliveries);
        tally(out, "re-reads of finished shards: initializes", rereadInitializes);
        out.append(String.format(Locale.ROOT, "%-52s %d (explained %d, unexplained %d)%n", "duplicates", duplicates,
                explainedDuplicates(), unexplainedDuplicates()));
        explained.forEach((reason, t) -> tally(out, "  explained: " + reason, t));
        unexplained.forEach((reason, t) -> tally(out, "  UNEXPLAINED: " + reason, t));
        movesSummary(out);
        tally(out, "lease moves over the bound", movesOverBound);
        tally(out, "tenures that began below a known checkpoint", tenuresBelowCheckpoint);
        tally(out, "deliveries by a tenure after a newer one began (info)", overlappingDeliveries);
        tally(out, "checkpoints by a tenure after a newer one began (info)", supersededCheckpoints);
        tally(out, "tenures ended without shutdown() while the process ran (info)", abandonedTenures);
        out.append("recovery (until every shard delivers records written after the event):\n");
        for (Recovery recovery : recoveries) {
            out.append(String.format(Locale.ROOT, "  %-40s at +%6.1f s: %s%n", recovery.event(),
                    (recovery.atNanos() - startNanos) / 1e9, recovery.recovered()
                            ? String.format(Locale.ROOT, "%.2f s (slowest %s)", recovery.time().toMillis() / 1000.0,
                                    recovery.slowest())
                            : "NOT RECOVERED (" + recovery.slowest() + ")"));
        }
        map(out, "faults injected (graceful exits only)", faultsInjected);
        map(out, "checkpoint attempts failed", checkpointFailures);
        map(out, "processRecords threw", processingFailures);
        map(out, "shutdown reasons", shutdownReasons);
        tally(out, "worker start() failures", startFailures);
        tally(out, "graceful stops that did not finish cleanly (info)", uncleanStops);
        tally(out, "worker processes that exited by themselves", unexpectedExits);
        tally(out, "harness problems", harnessProblems);
        List<String> violations = violations();
        out.append(violations.isEmpty() ? "VERDICT: every rule held\n" : "VERDICT: rules broken:\n");
        violations.forEach(v -> out.append("  - ").append(v).append('\n'));
        return out.toString();
    }

    private void movesSummary(StringBuilder out) {
        Map<String, long[]> byCause = new TreeMap<>();
        long max = 0;
        for (Move move : moves) {
            long[] figures = byCause.computeIfAbsent(move.cause(), c -> new long[3]);
            figures[0]++;
            figures[1] += move.duplicates();
            figures[2] = Math.max(figures[2], move.duplicates());
            max = Math.max(max, move.duplicates());
        }
        out.append(String.format(Locale.ROOT, "%-52s %d (most duplicates in one move: %d)%n", "lease moves",
                moves.size(), max));
        byCause.forEach((cause, f) -> out.append(String.format(Locale.ROOT,
                "  %-50s %d moves, %d duplicates, at most %d per move%n", cause, f[0], f[1], f[2])));
    }

    private static void line(StringBuilder out, String name, long value) {
        out.append(String.format(Locale.ROOT, "%-52s %d%n", name, value));
    }

    private static void tally(StringBuilder out, String name, Tally tally) {
        line(out, name, tally.count());
        for (String example : tally.examples()) {
            out.append("      e.g. ").append(example).append('\n');
        }
    }

    private static void map(StringBuilder out, String name, Map<String, Long> values) {
        out.append(String.format(Locale.ROOT, "%-52s %s%n", name, values.isEmpty() ? "none" : values));
    }
}
