package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The hash keys a shard owns, both ends included: the shard's {@code HashKeyRange} from ListShards, or the lease's
 * {@code startingHashKey} / {@code endingHashKey}.
 *
 * @param startingHashKey lowest hash key of the shard
 * @param endingHashKey highest hash key of the shard
 */
public record HashKeyRange(BigInteger startingHashKey, BigInteger endingHashKey) {

    /**
     * @throws IllegalArgumentException unless {@code 0 <= startingHashKey <= endingHashKey <= 2^128 - 1}
     */
    public HashKeyRange {
        Objects.requireNonNull(startingHashKey, "startingHashKey");
        Objects.requireNonNull(endingHashKey, "endingHashKey");
        if (startingHashKey.signum() < 0 || endingHashKey.compareTo(HashKeys.MAX) > 0
                || startingHashKey.compareTo(endingHashKey) > 0) {
            throw new IllegalArgumentException("Not a hash key range: [" + startingHashKey + ", " + endingHashKey
                    + "]; need 0 <= start <= end <= 2^128 - 1");
        }
    }

    /**
     * A range from the decimal strings Kinesis and the lease table use.
     *
     * @throws IllegalArgumentException if either is not a decimal number, or they do not form a range
     */
    public static HashKeyRange of(String startingHashKey, String endingHashKey) {
        return new HashKeyRange(new BigInteger(startingHashKey), new BigInteger(endingHashKey));
    }

    /** Whether {@code hashKey} belongs to this range (both ends included). */
    public boolean contains(BigInteger hashKey) {
        return hashKey.compareTo(startingHashKey) >= 0 && hashKey.compareTo(endingHashKey) <= 0;
    }
}
