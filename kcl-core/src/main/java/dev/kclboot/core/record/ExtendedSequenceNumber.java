package dev.kclboot.core.record;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A position in a shard: a sequence number plus the sub-sequence number of a KPL user record, or one of the
 * sentinels the KCL stores in the {@code checkpoint} attribute ({@code TRIM_HORIZON}, {@code LATEST},
 * {@code AT_TIMESTAMP}, {@code SHARD_END}).
 * <p>
 * Ordering: the start sentinels come before every sequence number, {@code SHARD_END} after; sequence numbers
 * compare as unsigned integers, then by sub-sequence number.
 */
public final class ExtendedSequenceNumber implements Comparable<ExtendedSequenceNumber> {

    public static final ExtendedSequenceNumber TRIM_HORIZON = new ExtendedSequenceNumber("TRIM_HORIZON", 0);

    public static final ExtendedSequenceNumber LATEST = new ExtendedSequenceNumber("LATEST", 0);

    public static final ExtendedSequenceNumber AT_TIMESTAMP = new ExtendedSequenceNumber("AT_TIMESTAMP", 0);

    public static final ExtendedSequenceNumber SHARD_END = new ExtendedSequenceNumber("SHARD_END", 0);

    /** The sub-sequence number of {@link #wholeRecord(String)}. */
    public static final long WHOLE_RECORD = Long.MAX_VALUE;

    private final String sequenceNumber;

    private final long subSequenceNumber;

    private ExtendedSequenceNumber(String sequenceNumber, long subSequenceNumber) {
        this.sequenceNumber = sequenceNumber;
        this.subSequenceNumber = subSequenceNumber;
    }

    /**
     * Parses a stored checkpoint: a sentinel name or a decimal sequence number.
     * @throws IllegalArgumentException for anything else
     */
    public static ExtendedSequenceNumber of(String sequenceNumber, long subSequenceNumber) {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        switch (sequenceNumber) {
            case "TRIM_HORIZON":
                return TRIM_HORIZON;
            case "LATEST":
                return LATEST;
            case "AT_TIMESTAMP":
                return AT_TIMESTAMP;
            case "SHARD_END":
                return SHARD_END;
            default:
                if (sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("Not a sequence number: '" + sequenceNumber + "'");
                }
                if (subSequenceNumber < 0) {
                    throw new IllegalArgumentException("Negative sub-sequence number: " + subSequenceNumber);
                }
                return new ExtendedSequenceNumber(sequenceNumber, subSequenceNumber);
        }
    }

    public static ExtendedSequenceNumber of(String sequenceNumber) {
        return of(sequenceNumber, 0);
    }

    /**
     * All of a record, whatever its sub-records: the sub-sequence number is {@link Long#MAX_VALUE}, above that of any
     * KPL user record. Used to checkpoint a record by sequence number alone when it is not known whether it was an
     * aggregate; the KCL reads it the same way (every sub-record at or below the checkpoint is done).
     */
    public static ExtendedSequenceNumber wholeRecord(String sequenceNumber) {
        return of(sequenceNumber, WHOLE_RECORD);
    }

    /** Whether this covers its whole record ({@link #wholeRecord(String)}). */
    public boolean isWholeRecord() {
        return subSequenceNumber == WHOLE_RECORD;
    }

    public String sequenceNumber() {
        return sequenceNumber;
    }

    public long subSequenceNumber() {
        return subSequenceNumber;
    }

    /** Whether this is one of the sentinels rather than a real sequence number. */
    public boolean isSentinel() {
        return rank() != 1;
    }

    public boolean isShardEnd() {
        return this == SHARD_END;
    }

    /** 0: start sentinels, 1: sequence numbers, 2: SHARD_END. */
    private int rank() {
        if (this == SHARD_END) {
            return 2;
        }
        if (this == TRIM_HORIZON || this == LATEST || this == AT_TIMESTAMP) {
            return 0;
        }
        return 1;
    }

    @Override
    public int compareTo(ExtendedSequenceNumber other) {
        int byRank = Integer.compare(rank(), other.rank());
        if (byRank != 0 || rank() != 1) {
            return byRank;
        }
        int bySequence = new BigInteger(sequenceNumber).compareTo(new BigInteger(other.sequenceNumber));
        return bySequence != 0 ? bySequence : Long.compare(subSequenceNumber, other.subSequenceNumber);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExtendedSequenceNumber that && sequenceNumber.equals(that.sequenceNumber)
                && subSequenceNumber == that.subSequenceNumber;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequenceNumber, subSequenceNumber);
    }

    @Override
    public String toString() {
        if (subSequenceNumber == 0) {
            return sequenceNumber;
        }
        return isWholeRecord() ? sequenceNumber + "/*" : sequenceNumber + "/" + subSequenceNumber;
    }
}
