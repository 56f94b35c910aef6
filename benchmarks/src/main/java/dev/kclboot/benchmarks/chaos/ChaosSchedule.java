package dev.kclboot.benchmarks.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When which kind of disruption happens in a run. Actions repeat a cycle that takes the stream through generations
 * of resharding and the workers through every way of losing a lease: split a shard, kill -9 a worker (and restart
 * it), merge the split's two children, restart a worker gracefully, cut DynamoDB off, split the merged shard. The
 * first action comes after the warm-up, the next ones an interval apart (an outage pushes the next action back until
 * DynamoDB is up), and none starts in the last {@link #QUIET_END} of the run, so the last disruption can be seen to
 * heal before the producer stops. Which worker or shard is hit is picked when the action runs, from the run's seed.
 */
public final class ChaosSchedule {

    /** No action starts this close to the end of the producing phase. */
    public static final Duration QUIET_END = Duration.ofSeconds(10);

    /** The kinds of action. */
    public enum Kind {
        /** Split a random open shard. */
        SPLIT,
        /** kill -9 a random worker, restart it after the restart delay. */
        KILL,
        /** Merge the two children of the last split (two generations: parent, children, merged child). */
        MERGE_CHILDREN,
        /** Stop a random worker gracefully (SIGTERM), then start it again. */
        RESTART,
        /** Stop DynamoDB for the outage time, then start it again with its data. */
        DYNAMODB_OUTAGE,
        /** Split the shard the last merge made (a third generation). */
        SPLIT_MERGED
    }

    /** One planned action. */
    public record Step(Duration at, Kind kind) {
    }

    private static final List<Kind> CYCLE = List.of(Kind.SPLIT, Kind.KILL, Kind.MERGE_CHILDREN, Kind.RESTART,
            Kind.DYNAMODB_OUTAGE, Kind.SPLIT_MERGED);

    private ChaosSchedule() {
    }

    /** The steps of a run with these settings, in order. */
    public static List<Step> plan(ChaosSettings settings) {
        List<Step> steps = new ArrayList<>();
        Duration last = settings.duration().minus(QUIET_END);
        Duration at = settings.warmup();
        for (int i = 0; at.compareTo(last) <= 0; i++) {
            Kind kind = CYCLE.get(i % CYCLE.size());
            steps.add(new Step(at, kind));
            Duration next = at.plus(settings.actionInterval());
            if (kind == Kind.DYNAMODB_OUTAGE && next.compareTo(at.plus(settings.outage())) < 0) {
                next = at.plus(settings.outage());
            }
            at = next;
        }
        return steps;
    }
}
