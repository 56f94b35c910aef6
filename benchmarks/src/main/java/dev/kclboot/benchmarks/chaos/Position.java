package dev.kclboot.benchmarks.chaos;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A position in a shard as the chaos logs write it: {@code <sequence>/<sub-sequence>}, or a sentinel
 * ({@code TRIM_HORIZON}, {@code LATEST}, {@code AT_TIMESTAMP} before every record, {@code SHARD_END} after every
 * record). Sequence numbers compare as integers, then by sub-sequence number.
 */
public final class Position implements Comparable<Position> {

    /** Before every record: where a shard without a checkpoint starts. */
    public static final Position START = new Position(0, BigInteger.ZERO, 0, "START");

    /** After every record: the shard was finished. */
    public static final Position SHARD_END = new Position(2, BigInteger.ZERO, 0, "SHARD_END");

    private final int rank;

    private final BigInteger sequence;

    private final long sub;

    private final String text;

    private Position(int rank, BigInteger sequence, long sub, String text) {
        this.rank = rank;
        this.sequence = sequence;
        this.sub = sub;
        this.text = text;
    }

    public static Position of(String sequence, long sub) {
        try {
            return new Position(1, new BigInteger(sequence), sub, sequence + "/" + sub);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Not a sequence number: '" + sequence + "'", ex);
        }
    }

    /** Parses what {@link #toString()} wrote, or a sentinel name. */
    public static Position parse(String text) {
        switch (text) {
            case "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "START":
                return START;
            case "SHARD_END":
                return SHARD_END;
            default:
                int slash = text.indexOf('/');
                if (slash < 0) {
                    return of(text, 0);
                }
                try {
                    return of(text.substring(0, slash), Long.parseLong(text.substring(slash + 1)));
                }
                catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("Not a position: '" + text + "'", ex);
                }
        }
    }

    public boolean isShardEnd() {
        return rank == 2;
    }

    @Override
    public int compareTo(Position other) {
        if (rank != other.rank) {
            return Integer.compare(rank, other.rank);
        }
        int bySequence = sequence.compareTo(other.sequence);
        return bySequence != 0 ? bySequence : Long.compare(sub, other.sub);
    }

    public static Position max(Position a, Position b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Position that && compareTo(that) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rank, sequence, sub);
    }

    @Override
    public String toString() {
        return text;
    }
}
