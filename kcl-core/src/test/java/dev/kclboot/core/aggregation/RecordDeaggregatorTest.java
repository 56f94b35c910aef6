package dev.kclboot.core.aggregation;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.kpl.KplAggregate;
import dev.kclboot.test.kpl.KplUserRecord;
import dev.kclboot.test.kpl.ProtobufWriter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

import static dev.kclboot.core.aggregation.TestRecords.ARRIVAL;
import static dev.kclboot.core.aggregation.TestRecords.SHARD;
import static dev.kclboot.core.aggregation.TestRecords.assertDeliveredUnchanged;
import static dev.kclboot.core.aggregation.TestRecords.record;
import static dev.kclboot.core.aggregation.TestRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RecordDeaggregatorTest {

    private final RecordingListener listener = new RecordingListener();

    private final RecordDeaggregator deaggregator = new RecordDeaggregator(listener);

    @Test
    void plainRecordIsDeliveredAsOneNonAggregatedRecord() {
        Record plain = record("49590338271490256608559692538361571095921575989136588898", "user-42",
                utf8("{\"hello\":\"world\"}"));

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, plain, null);

        assertThat(records).hasSize(1);
        assertDeliveredUnchanged(records.get(0), plain);
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void recordsShorterThanTheMagicArePlain() {
        byte[] magic = KplAggregate.magic();
        for (byte[] data : List.of(new byte[0], new byte[] { magic[0] }, new byte[] { magic[0], magic[1], magic[2] })) {
            Record plain = record("1", "pk", data);

            List<KinesisRecord> records = deaggregator.deaggregate(SHARD, plain, null);

            assertThat(records).hasSize(1);
            assertDeliveredUnchanged(records.get(0), plain);
        }
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void aggregateWithAWrongMagicByteIsAPlainRecordNotACorruptOne() {
        // Anything not starting with the exact magic is an ordinary payload, however aggregate-like the rest is.
        byte[] data = KplAggregate.builder().add("a", "one").add("b", "two").build().bytes();
        for (int i = 0; i < 4; i++) {
            byte[] badMagic = data.clone();
            badMagic[i] ^= 0x01;
            Record plain = record("2", "pk", badMagic);

            List<KinesisRecord> records = deaggregator.deaggregate(SHARD, plain, null);

            assertThat(records).hasSize(1);
            assertDeliveredUnchanged(records.get(0), plain);
        }
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void aggregateIsUnpackedIntoItsUserRecordsInOrder() {
        byte[] large = new byte[300];
        new Random(7).nextBytes(large);
        KplAggregate aggregate = KplAggregate.builder()
                .add("orders", "first")
                .add(new KplUserRecord("customers", "12345678901234567890", utf8("second"),
                        Map.of("source", "web", "flag", "")))
                .add("orders", utf8("third, same partition key as the first"))
                .add(new KplUserRecord("käse-🧀", null, new byte[0], Map.of("empty-data", "yes")))
                .add("payments", "12345678901234567890", large)
                .add("payments", "0", utf8("sixth"))
                .build();
        Record kinesisRecord = record("49590338271490256608559692538361571095921575989136588898", "orders",
                aggregate.bytes());

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, kinesisRecord, null);

        List<KplUserRecord> expected = aggregate.userRecords();
        assertThat(records).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            KinesisRecord actual = records.get(i);
            assertThat(actual.shardId()).isEqualTo(SHARD);
            assertThat(actual.sequenceNumber()).isEqualTo(kinesisRecord.sequenceNumber());
            assertThat(actual.subSequenceNumber()).isEqualTo(i);
            assertThat(actual.aggregated()).isTrue();
            assertThat(actual.partitionKey()).isEqualTo(expected.get(i).partitionKey());
            assertThat(actual.explicitHashKey()).isEqualTo(expected.get(i).explicitHashKey());
            assertThat(actual.approximateArrivalTimestamp()).isEqualTo(ARRIVAL);
            assertThat(actual.dataBytes()).isEqualTo(expected.get(i).data());
        }
        assertThat(listener.corrupt).isEmpty();
        assertThat(listener.filtered).isEmpty();
    }

    @Test
    void userRecordDataIsExactlyItsOwnPayload() {
        KplAggregate aggregate = KplAggregate.builder().add("a", "alpha").add("b", "beta-beta").build();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record("3", "a", aggregate.bytes()), null);

        ByteBuffer second = records.get(1).data();
        assertThat(second.position()).isZero();
        assertThat(second.remaining()).isEqualTo("beta-beta".length());
        assertThat(second.isReadOnly()).isTrue();
        byte[] read = new byte[second.remaining()];
        second.get(read);
        assertThat(read).isEqualTo(utf8("beta-beta"));
    }

    @Test
    void emptyAggregateGivesNoRecordsAndIsNotCorrupt() {
        // Magic followed directly by the MD5 of zero protobuf bytes: a valid AggregatedRecord with no user record.
        byte[] empty = KplAggregate.builder().build().bytes();
        assertThat(empty).hasSize(20);

        assertThat(deaggregator.deaggregate(SHARD, record("4", "a", empty), null)).isEmpty();
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void aggregateWithKeyTablesButNoUserRecordsGivesNoRecords() {
        byte[] protobuf = new ProtobufWriter().stringField(1, "pk").stringField(2, "42").toByteArray();

        assertThat(deaggregator.deaggregate(SHARD, record("5", "a", KplAggregate.frame(protobuf)), null)).isEmpty();
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkippedAtEveryLevel() {
        ProtobufWriter tag = new ProtobufWriter()
                .varintField(9, 1).stringField(1, "k").fixed32Field(10, -1).stringField(2, "v").fixed64Field(11, 7);
        ProtobufWriter userRecord = new ProtobufWriter()
                .fixed64Field(20, Long.MIN_VALUE)
                .varintField(1, 1)
                .stringField(21, "unknown length-delimited")
                .messageField(4, tag)
                .fixed32Field(22, 12345)
                .bytesField(3, utf8("payload"))
                .varintField(23, -1L);
        byte[] protobuf = new ProtobufWriter()
                .varintField(15, 300)
                .stringField(1, "ignored-first-key")
                .fixed32Field(16, 1)
                .stringField(1, "pk")
                .fixed64Field(17, 2)
                .stringField(18, "unknown")
                .messageField(3, userRecord)
                .varintField(536_870_911, 1) // the largest field number
                .toByteArray();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record("6", "a", KplAggregate.frame(protobuf)),
                null);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.partitionKey()).isEqualTo("pk");
            assertThat(r.dataBytes()).isEqualTo(utf8("payload"));
            assertThat(r.aggregated()).isTrue();
        });
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void knownFieldWithAnotherWireTypeIsSkippedAsUnknownAndRepeatedScalarsKeepTheLastValue() {
        // As protobuf-java does: field 1 sent as a varint is not the partition key table, and of two
        // partition_key_index values the last one counts.
        ProtobufWriter userRecord = new ProtobufWriter()
                .varintField(1, 0).varintField(1, 1).bytesField(1, utf8("not an index")).bytesField(3, utf8("x"));
        byte[] protobuf = new ProtobufWriter()
                .varintField(1, 5).stringField(1, "zero").stringField(1, "one").messageField(3, userRecord)
                .toByteArray();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record("7", "a", KplAggregate.frame(protobuf)),
                null);

        assertThat(records).singleElement().satisfies(r -> assertThat(r.partitionKey()).isEqualTo("one"));
    }

    @Test
    void batchKeepsRecordOrderAcrossPlainAndAggregatedRecords() {
        Record first = record("10", "p1", utf8("plain-1"));
        Record aggregated = record("11", "a", KplAggregate.builder().add("u1", "user-1").add("u2", "user-2").build()
                .bytes());
        Record last = record("12", "p2", utf8("plain-2"));

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, List.of(first, aggregated, last), null);

        assertThat(records).extracting(r -> new String(r.dataBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly("plain-1", "user-1", "user-2", "plain-2");
        assertThat(records).extracting(KinesisRecord::sequenceNumber).containsExactly("10", "11", "11", "12");
        assertThat(records).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 0L, 1L, 0L);
    }

    @Test
    void failingListenerDoesNotStopDelivery() {
        RecordDeaggregator withBadListener = new RecordDeaggregator(new DeaggregationListener() {
            @Override
            public void corruptAggregate(String shardId, String sequenceNumber, String reason) {
                throw new IllegalStateException("listener bug");
            }
        });
        byte[] corrupt = KplAggregate.builder().add("a", "one").build().bytes();
        corrupt[corrupt.length - 1] ^= 0x55;
        Record original = record("13", "a", corrupt);

        assertThatNoException().isThrownBy(() -> withBadListener.deaggregate(SHARD, original, null));
        assertDeliveredUnchanged(withBadListener.deaggregate(SHARD, original, null).get(0), original);
    }

    @Test
    void recordWithoutDataOrPartitionKeyFromALaxEmulatorIsStillDelivered() {
        Record bare = Record.builder().sequenceNumber("14").build();

        List<KinesisRecord> records = new RecordDeaggregator().deaggregate(SHARD, bare, null);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.dataBytes()).isEmpty();
            assertThat(r.partitionKey()).isEmpty();
        });
    }
}
