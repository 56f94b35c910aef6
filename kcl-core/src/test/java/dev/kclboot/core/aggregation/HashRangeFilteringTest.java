package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.kpl.KplAggregate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

import static dev.kclboot.core.aggregation.TestRecords.HALF;
import static dev.kclboot.core.aggregation.TestRecords.LOWER_HALF;
import static dev.kclboot.core.aggregation.TestRecords.SHARD;
import static dev.kclboot.core.aggregation.TestRecords.assertDeliveredUnchanged;
import static dev.kclboot.core.aggregation.TestRecords.md5Hash;
import static dev.kclboot.core.aggregation.TestRecords.partitionKeyHashing;
import static dev.kclboot.core.aggregation.TestRecords.record;
import static dev.kclboot.core.aggregation.TestRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a split, a shard drops the aggregated user records whose hash key belongs to another shard. The expected
 * hash keys are computed here, independently of the code under test.
 */
class HashRangeFilteringTest {

    /** Partition keys whose MD5 falls in the lower half of the hash key space, and in the upper half. */
    private static final String LOW_KEY = partitionKeyHashing("low", hash -> hash.compareTo(HALF) < 0);

    private static final String OTHER_LOW_KEY = partitionKeyHashing("other-low", hash -> hash.compareTo(HALF) < 0);

    private static final String HIGH_KEY = partitionKeyHashing("high", hash -> hash.compareTo(HALF) >= 0);

    private final RecordingListener listener = new RecordingListener();

    private final RecordDeaggregator deaggregator = new RecordDeaggregator(listener);

    @Test
    void userRecordsOutsideTheShardAreDroppedAndTheOthersKeepTheirSubSequenceNumbers() {
        KplAggregate aggregate = KplAggregate.builder()
                .add(LOW_KEY, "0 in by partition key")
                .add(HIGH_KEY, "1 out by partition key")
                .add("any", HALF.subtract(BigInteger.ONE).toString(), utf8("2 in by explicit key, last of range"))
                .add("any", HALF.toString(), utf8("3 out by explicit key, first past range"))
                .add(OTHER_LOW_KEY, "4 in by partition key")
                .add(HIGH_KEY, "5 out by partition key again")
                .build();
        Record kinesisRecord = record("100", LOW_KEY, aggregate.bytes());

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, kinesisRecord, LOWER_HALF);

        assertThat(records).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 2L, 4L);
        assertThat(records).extracting(r -> new String(r.dataBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly("0 in by partition key", "2 in by explicit key, last of range",
                        "4 in by partition key");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.sequenceNumber()).isEqualTo("100");
            assertThat(r.aggregated()).isTrue();
        });
        assertThat(listener.filtered).containsExactly(new RecordingListener.Filtered(SHARD, "100", 3));
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void explicitHashKeyDecidesOverThePartitionKey() {
        KplAggregate aggregate = KplAggregate.builder()
                .add(HIGH_KEY, "5", utf8("kept: explicit key low, partition key high"))
                .add(LOW_KEY, HALF.toString(), utf8("dropped: explicit key high, partition key low"))
                .build();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record("101", "x", aggregate.bytes()),
                LOWER_HALF);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.partitionKey()).isEqualTo(HIGH_KEY);
            assertThat(r.explicitHashKey()).isEqualTo("5");
            assertThat(r.subSequenceNumber()).isZero();
        });
    }

    @Test
    void bothEndsOfTheRangeAreIncluded() {
        BigInteger hash = md5Hash(LOW_KEY);
        KplAggregate aggregate = KplAggregate.builder()
                .add(LOW_KEY, "by partition key hash")
                .add("e", hash.toString(), utf8("by explicit key equal to it"))
                .add("e", hash.subtract(BigInteger.ONE).toString(), utf8("one below"))
                .add("e", hash.add(BigInteger.ONE).toString(), utf8("one above"))
                .build();
        Record kinesisRecord = record("102", LOW_KEY, aggregate.bytes());

        assertThat(deaggregator.deaggregate(SHARD, kinesisRecord, new HashKeyRange(hash, hash)))
                .extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L);
        assertThat(deaggregator.deaggregate(SHARD, kinesisRecord, new HashKeyRange(hash.subtract(BigInteger.ONE), hash)))
                .extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(deaggregator.deaggregate(SHARD, kinesisRecord, new HashKeyRange(hash, hash.add(BigInteger.ONE))))
                .extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 3L);
    }

    @Test
    void aggregateEntirelyOutsideTheShardGivesNoRecords() {
        KplAggregate aggregate = KplAggregate.builder().add(HIGH_KEY, "a").add(HIGH_KEY, "b").add(HIGH_KEY, "c")
                .build();

        assertThat(deaggregator.deaggregate(SHARD, record("103", HIGH_KEY, aggregate.bytes()), LOWER_HALF)).isEmpty();
        assertThat(listener.filtered).containsExactly(new RecordingListener.Filtered(SHARD, "103", 3));
    }

    @Test
    void nothingIsFilteredWithoutARange() {
        KplAggregate aggregate = KplAggregate.builder().add(LOW_KEY, "a").add(HIGH_KEY, "b")
                .add("e", HALF.toString(), utf8("c")).build();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record("104", "x", aggregate.bytes()), null);

        assertThat(records).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(listener.filtered).isEmpty();
    }

    @Test
    void nothingIsFilteredWhenEverythingIsInRange() {
        KplAggregate aggregate = KplAggregate.builder().add(LOW_KEY, "a").add(OTHER_LOW_KEY, "b").build();

        assertThat(deaggregator.deaggregate(SHARD, record("105", "x", aggregate.bytes()), LOWER_HALF)).hasSize(2);
        assertThat(listener.filtered).isEmpty();
    }

    @Test
    void plainRecordIsNeverFiltered() {
        // Kinesis put it on this shard; only the KPL's packing can mix shards, so only aggregates are filtered.
        Record plain = record("106", HIGH_KEY, utf8("plain, partition key hashes outside the range"));

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, plain, LOWER_HALF);

        assertThat(records).singleElement().satisfies(r -> assertDeliveredUnchanged(r, plain));
        assertThat(listener.filtered).isEmpty();
    }

    @Test
    void partitionKeyIsHashedFromItsUtf8Bytes() {
        String nonAscii = partitionKeyHashing("schlüssel-🔑", hash -> hash.compareTo(HALF) >= 0);
        KplAggregate aggregate = KplAggregate.builder().add(nonAscii, "dropped").add(LOW_KEY, "kept").build();

        assertThat(deaggregator.deaggregate(SHARD, record("107", "x", aggregate.bytes()), LOWER_HALF))
                .extracting(KinesisRecord::partitionKey).containsExactly(LOW_KEY);
        assertThat(deaggregator.deaggregate(SHARD, record("107", "x", aggregate.bytes()),
                new HashKeyRange(HALF, TestRecords.MAX_HASH_KEY)))
                .extracting(KinesisRecord::partitionKey).containsExactly(nonAscii);
    }
}
