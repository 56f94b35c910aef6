package dev.kclboot.core.stream;

import java.time.Instant;
import java.util.Objects;

import dev.kclboot.core.record.ExtendedSequenceNumber;
import org.jspecify.annotations.Nullable;

/**
 * Where a worker starts reading a shard that has no checkpoint yet: the oldest record ({@link #trimHorizon()}), new
 * records only ({@link #latest()}), or records from an instant on ({@link #atTimestamp(Instant)}). Child shards of a
 * split or merge always start at TRIM_HORIZON, whatever this says.
 */
public final class InitialPosition {

    private static final InitialPosition TRIM_HORIZON = new InitialPosition(ExtendedSequenceNumber.TRIM_HORIZON, null);

    private static final InitialPosition LATEST = new InitialPosition(ExtendedSequenceNumber.LATEST, null);

    private final ExtendedSequenceNumber sentinel;

    private final @Nullable Instant timestamp;

    private InitialPosition(ExtendedSequenceNumber sentinel, @Nullable Instant timestamp) {
        this.sentinel = sentinel;
        this.timestamp = timestamp;
    }

    public static InitialPosition trimHorizon() {
        return TRIM_HORIZON;
    }

    public static InitialPosition latest() {
        return LATEST;
    }

    public static InitialPosition atTimestamp(Instant timestamp) {
        return new InitialPosition(ExtendedSequenceNumber.AT_TIMESTAMP, Objects.requireNonNull(timestamp, "timestamp"));
    }

    /** The sentinel stored as the checkpoint of new leases. */
    public ExtendedSequenceNumber sentinel() {
        return sentinel;
    }

    /** The instant of {@code AT_TIMESTAMP}, else null. */
    public @Nullable Instant timestamp() {
        return timestamp;
    }

    @Override
    public String toString() {
        return timestamp == null ? sentinel.sequenceNumber() : "AT_TIMESTAMP(" + timestamp + ")";
    }
}
