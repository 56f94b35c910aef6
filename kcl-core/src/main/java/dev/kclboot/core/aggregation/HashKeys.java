package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;

/**
 * Kinesis hash keys: the unsigned 128-bit number that decides which shard a record belongs to.
 */
final class HashKeys {

    /** The largest hash key, 2^128 - 1. */
    static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** Longest decimal form of a 128-bit number (2^128 - 1 has 39 digits). */
    private static final int MAX_DIGITS = 39;

    private HashKeys() {
    }

    /**
     * The hash key Kinesis routes a record by: its explicit hash key when it has one, else the MD5 of its partition
     * key's UTF-8 bytes read as an unsigned 128-bit big-endian number.
     *
     * @param explicitHashKey already checked by {@link #parseExplicit(String)}
     */
    static BigInteger effective(String partitionKey, @Nullable String explicitHashKey) {
        if (explicitHashKey != null) {
            return new BigInteger(explicitHashKey);
        }
        return new BigInteger(1, md5(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Parses an explicit hash key: a decimal number in [0, 2^128 - 1], digits only (no sign, no blanks), which is
     * what the KPL and Kinesis accept.
     */
    static BigInteger parseExplicit(String explicitHashKey) throws InvalidAggregateException {
        if (explicitHashKey.isEmpty() || explicitHashKey.length() > MAX_DIGITS
                || !explicitHashKey.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidAggregateException("explicit hash key '" + abbreviate(explicitHashKey)
                    + "' is not a decimal number");
        }
        BigInteger value = new BigInteger(explicitHashKey);
        if (value.compareTo(MAX) > 0) {
            throw new InvalidAggregateException("explicit hash key " + explicitHashKey + " is above 2^128 - 1");
        }
        return value;
    }

    static byte[] md5(byte[] bytes) {
        return md5(bytes, 0, bytes.length);
    }

    static byte[] md5(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            digest.update(bytes, offset, length);
            return digest.digest();
        }
        catch (NoSuchAlgorithmException ex) {
            // Every Java platform must provide MD5 (see MessageDigest's Javadoc), so this cannot happen.
            throw new IllegalStateException(ex);
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 50 ? value : value.substring(0, 50) + "...";
    }
}
