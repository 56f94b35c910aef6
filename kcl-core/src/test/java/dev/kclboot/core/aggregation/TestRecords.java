package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.function.Predicate;

import dev.kclboot.core.record.KinesisRecord;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds SDK records for the tests and computes hash keys independently of the code under test.
 */
final class TestRecords {

    static final String SHARD = "shardId-000000000007";

    static final Instant ARRIVAL = Instant.parse("2025-03-01T10:15:30.123Z");

    /** The middle of the hash key space: the lower half [0, HALF - 1] is one child of an even split. */
    static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);

    static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    static final HashKeyRange LOWER_HALF = new HashKeyRange(BigInteger.ZERO, HALF.subtract(BigInteger.ONE));

    private TestRecords() {
    }

    static Record record(String sequenceNumber, String partitionKey, byte[] data) {
        return Record.builder()
                .sequenceNumber(sequenceNumber)
                .partitionKey(partitionKey)
                .approximateArrivalTimestamp(ARRIVAL)
                .data(SdkBytes.fromByteArray(data))
                .build();
    }

    /** MD5 of the UTF-8 bytes as an unsigned 128-bit number: how Kinesis hashes a partition key. */
    static BigInteger md5Hash(String partitionKey) {
        return new BigInteger(1, md5(partitionKey.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The first of {@code prefix-0, prefix-1, ...} whose MD5 hash satisfies {@code wanted}. */
    static String partitionKeyHashing(String prefix, Predicate<BigInteger> wanted) {
        for (int i = 0; ; i++) {
            String key = prefix + "-" + i;
            if (wanted.test(md5Hash(key))) {
                return key;
            }
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts the record is the SDK record delivered whole and unchanged, as a single non-aggregated record. */
    static void assertDeliveredUnchanged(KinesisRecord actual, Record original) {
        assertThat(actual.shardId()).isEqualTo(SHARD);
        assertThat(actual.sequenceNumber()).isEqualTo(original.sequenceNumber());
        assertThat(actual.subSequenceNumber()).isZero();
        assertThat(actual.aggregated()).isFalse();
        assertThat(actual.partitionKey()).isEqualTo(original.partitionKey());
        assertThat(actual.explicitHashKey()).isNull();
        assertThat(actual.approximateArrivalTimestamp()).isEqualTo(original.approximateArrivalTimestamp());
        assertThat(actual.dataBytes()).isEqualTo(original.data().asByteArray());
    }
}
