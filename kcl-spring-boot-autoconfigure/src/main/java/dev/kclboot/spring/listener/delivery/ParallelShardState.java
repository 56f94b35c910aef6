package dev.kclboot.spring.listener.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.kclboot.spring.listener.ShardStatus;
import org.jspecify.annotations.Nullable;

/**
 * The live state of a shard whose records of several partition keys are delivered at once: one lane (a
 * {@link ShardDeliveryState}) per delivery in progress, opened when a record (or key group) goes to the listener and
 * closed when its delivery ends. The shard's status is that of its worst lane: the one stuck longest (failing, or in
 * one listener call), else the one with the oldest record, so that one key blocked among many healthy ones still
 * makes the shard show as blocked. The iterator age is the oldest record in any lane (the records of a
 * blocked key wait behind it, so they are younger); with no lane open, the age the last record had when it was done.
 */
public final class ParallelShardState implements ShardStatusSource {

    /**
     * Worst first: the lane stuck longest (failing, or in one call, whichever began earlier), then the oldest record.
     * A lane is blocked when that time is older than the threshold, so the worst lane is blocked whenever any is.
     */
    private static final Comparator<ShardStatus> WORST_FIRST = Comparator
            .comparing(ParallelShardState::stuckSince, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(ShardStatus::iteratorAge, Comparator.reverseOrder());

    private final String stream;

    private final String shardId;

    private final Clock clock;

    private final Set<ShardDeliveryState> lanes = ConcurrentHashMap.newKeySet();

    private volatile double lastDoneAgeMillis;

    ParallelShardState(String stream, String shardId, Clock clock) {
        this.stream = stream;
        this.shardId = shardId;
        this.clock = clock;
    }

    /** A delivery begins: its own state, shown while it lasts. */
    ShardDeliveryState openLane() {
        ShardDeliveryState lane = new ShardDeliveryState(stream, shardId, clock);
        lanes.add(lane);
        return lane;
    }

    /** The delivery ended (its records done, or given up for this tenure). */
    void closeLane(ShardDeliveryState lane) {
        if (lanes.remove(lane) && lane.snapshot().sequenceNumber() == null) {
            lastDoneAgeMillis = lane.iteratorAgeMillis();
        }
    }

    /** How many deliveries are in progress. */
    int openLanes() {
        return lanes.size();
    }

    @Override
    public ShardStatus snapshot() {
        ShardStatus worst = null;
        Duration oldest = Duration.ZERO;
        for (ShardDeliveryState lane : lanes) {
            ShardStatus status = lane.snapshot();
            if (status.sequenceNumber() == null) {
                continue; // Done, about to close.
            }
            if (status.iteratorAge().compareTo(oldest) > 0) {
                oldest = status.iteratorAge();
            }
            if (worst == null || WORST_FIRST.compare(status, worst) < 0) {
                worst = status;
            }
        }
        if (worst == null) {
            return new ShardStatus(stream, shardId, null, 0, null, null, null,
                    Duration.ofMillis((long) lastDoneAgeMillis));
        }
        return new ShardStatus(stream, shardId, worst.sequenceNumber(), worst.attempts(), worst.failingSince(),
                worst.lastFailure(), worst.inCallSince(), oldest);
    }

    /** Since when the lane is stuck: the earlier of its first failure and the start of its running call. */
    private static @Nullable Instant stuckSince(ShardStatus status) {
        Instant failing = status.failingSince();
        Instant inCall = status.inCallSince();
        if (failing == null) {
            return inCall;
        }
        return (inCall == null || failing.isBefore(inCall)) ? failing : inCall;
    }

    @Override
    public double iteratorAgeMillis() {
        return snapshot().iteratorAge().toMillis();
    }
}
