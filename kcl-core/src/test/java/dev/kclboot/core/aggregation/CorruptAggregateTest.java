package dev.kclboot.core.aggregation;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.kpl.KplAggregate;
import dev.kclboot.test.kpl.ProtobufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Record;

import static dev.kclboot.core.aggregation.TestRecords.MAX_HASH_KEY;
import static dev.kclboot.core.aggregation.TestRecords.SHARD;
import static dev.kclboot.core.aggregation.TestRecords.assertDeliveredUnchanged;
import static dev.kclboot.core.aggregation.TestRecords.record;
import static dev.kclboot.core.aggregation.TestRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record with the KPL magic that is not a valid aggregate is delivered whole and unchanged, reported once, and
 * never throws.
 */
class CorruptAggregateTest {

    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

    private final RecordingListener listener = new RecordingListener();

    private final RecordDeaggregator deaggregator = new RecordDeaggregator(listener);

    private static KplAggregate threeUserRecords() {
        return KplAggregate.builder().add("a", "first").add("b", "12", utf8("second")).add("c", "third").build();
    }

    private void assertCorrupt(byte[] data, String reasonFragment) {
        Record original = record(SEQUENCE, "outer-key", data);

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, original, null);

        assertThat(records).hasSize(1);
        assertDeliveredUnchanged(records.get(0), original);
        assertThat(listener.corrupt).singleElement().satisfies(event -> {
            assertThat(event.shardId()).isEqualTo(SHARD);
            assertThat(event.sequenceNumber()).isEqualTo(SEQUENCE);
            assertThat(event.reason()).containsIgnoringCase(reasonFragment);
        });
    }

    private static byte[] framed(ProtobufWriter protobuf) {
        return KplAggregate.frame(protobuf.toByteArray());
    }

    @Test
    void md5Mismatch() {
        byte[] data = threeUserRecords().bytes();
        data[data.length - 1] ^= 0x01;

        assertCorrupt(data, "MD5");
    }

    @Test
    void flippedByteInTheBodyIsCaughtByTheMd5() {
        byte[] data = threeUserRecords().bytes();
        data[(4 + data.length - 16) / 2] ^= 0x40;

        assertCorrupt(data, "MD5");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 15, 16, 17, 30 })
    void truncatedRecord(int bytesCut) {
        byte[] data = threeUserRecords().bytes();

        assertCorrupt(Arrays.copyOf(data, data.length - bytesCut), "MD5");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 15 })
    void magicFollowedByLessThanAnMd5(int extraBytes) {
        byte[] data = Arrays.copyOf(KplAggregate.magic(), 4 + extraBytes);

        assertCorrupt(data, "truncated");
    }

    @Test
    void magicFollowedBySixteenBytesThatAreNotTheMd5OfNothing() {
        assertCorrupt(Arrays.copyOf(KplAggregate.magic(), 20), "MD5");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 5, 10 })
    void truncatedProtobufWithAMatchingMd5(int bytesCut) {
        // The MD5 matches what was sent, but the protobuf itself stops short: only the parser can tell.
        byte[] protobuf = threeUserRecords().protobufBytes();

        assertCorrupt(KplAggregate.frame(Arrays.copyOf(protobuf, protobuf.length - bytesCut)), "truncated");
    }

    static Stream<Arguments> invalidProtobuf() {
        ProtobufWriter validRecord = new ProtobufWriter().varintField(1, 0).bytesField(3, utf8("x"));
        return Stream.of(
                Arguments.of("partition key index past the table",
                        new ProtobufWriter().stringField(1, "only").messageField(3, validRecord)
                                .messageField(3, new ProtobufWriter().varintField(1, 1).bytesField(3, utf8("y"))),
                        "partition key index 1"),
                Arguments.of("partition key index 2^64 - 1 must not pass as -1",
                        new ProtobufWriter().stringField(1, "only")
                                .messageField(3, new ProtobufWriter().varintField(1, -1L).bytesField(3, utf8("y"))),
                        "18446744073709551615"),
                Arguments.of("partition key index 2^32 must not wrap to 0",
                        new ProtobufWriter().stringField(1, "only")
                                .messageField(3, new ProtobufWriter().varintField(1, 1L << 32).bytesField(3, utf8("y"))),
                        "4294967296"),
                Arguments.of("explicit hash key index into an empty table",
                        new ProtobufWriter().stringField(1, "pk").messageField(3,
                                new ProtobufWriter().varintField(1, 0).varintField(2, 0).bytesField(3, utf8("y"))),
                        "explicit hash key index 0"),
                Arguments.of("explicit hash key index past the table",
                        new ProtobufWriter().stringField(1, "pk").stringField(2, "1").messageField(3,
                                new ProtobufWriter().varintField(1, 0).varintField(2, 1).bytesField(3, utf8("y"))),
                        "explicit hash key index 1"),
                Arguments.of("user record without partition_key_index (required)",
                        new ProtobufWriter().stringField(1, "pk")
                                .messageField(3, new ProtobufWriter().bytesField(3, utf8("y"))),
                        "no partition_key_index"),
                Arguments.of("user record without data (required)",
                        new ProtobufWriter().stringField(1, "pk").messageField(3, new ProtobufWriter().varintField(1, 0)),
                        "no data"),
                Arguments.of("tag without key (required)",
                        new ProtobufWriter().stringField(1, "pk").messageField(3, new ProtobufWriter().varintField(1, 0)
                                .bytesField(3, utf8("y")).messageField(4, new ProtobufWriter().stringField(2, "v"))),
                        "tag"),
                Arguments.of("field number 0",
                        new ProtobufWriter().stringField(1, "pk").varintField(0, 1), "field number 0"),
                Arguments.of("group (wire type 3)",
                        new ProtobufWriter().stringField(1, "pk").tag(7, 3).tag(7, 4), "wire type 3"),
                Arguments.of("wire type 6",
                        new ProtobufWriter().stringField(1, "pk").tag(7, 6), "wire type 6"),
                Arguments.of("varint longer than 10 bytes",
                        new ProtobufWriter().tag(9, 0).rawBytes(new byte[] { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1 }),
                        "varint"),
                Arguments.of("varint cut off at the end",
                        new ProtobufWriter().stringField(1, "pk").tag(9, 0).rawBytes(new byte[] { (byte) 0x80 }),
                        "truncated"),
                Arguments.of("length past the end",
                        new ProtobufWriter().tag(1, 2).rawVarint(5).rawBytes(utf8("abc")), "truncated"),
                Arguments.of("length negative as a 32-bit value",
                        new ProtobufWriter().tag(1, 2).rawVarint(0xFFFF_FFFFL).rawBytes(utf8("abc")), "negative"),
                Arguments.of("embedded record longer than the aggregate",
                        new ProtobufWriter().stringField(1, "pk").tag(3, 2).rawVarint(100)
                                .rawBytes(validRecord.toByteArray()),
                        "truncated"),
                Arguments.of("fixed64 cut off",
                        new ProtobufWriter().stringField(1, "pk").tag(9, 1).rawBytes(new byte[7]), "truncated"),
                Arguments.of("fixed32 cut off",
                        new ProtobufWriter().stringField(1, "pk").tag(9, 5).rawBytes(new byte[3]), "truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidProtobuf")
    void invalidProtobufWithAMatchingMd5(String description, ProtobufWriter protobuf, String reasonFragment) {
        assertCorrupt(framed(protobuf), reasonFragment);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "abc", "-5", "+5", " 5", "5 ", "1e3", "12.0", "٣" })
    void explicitHashKeyThatIsNotADecimalNumber(String explicitHashKey) {
        byte[] data = KplAggregate.builder().add("a", "ok").add("b", explicitHashKey, utf8("bad key")).build().bytes();

        assertCorrupt(data, "explicit hash key");
    }

    @Test
    void explicitHashKeyAboveTheHashKeySpace() {
        String tooLarge = MAX_HASH_KEY.add(BigInteger.ONE).toString();
        byte[] data = KplAggregate.builder().add("b", tooLarge, utf8("bad key")).build().bytes();

        assertCorrupt(data, "above");
    }

    @Test
    void explicitHashKeyTooLongToParseCheaply() {
        byte[] data = KplAggregate.builder().add("b", "9".repeat(10_000), utf8("bad key")).build().bytes();

        assertCorrupt(data, "explicit hash key");
    }

    @Test
    void explicitHashKeysAtBothEndsOfTheSpaceAreValid() {
        byte[] data = KplAggregate.builder()
                .add("a", "0", utf8("lowest"))
                .add("b", MAX_HASH_KEY.toString(), utf8("highest"))
                .add("c", "000000000000000000000000000000000000042", utf8("leading zeros"))
                .build().bytes();

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, record(SEQUENCE, "a", data), null);

        assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r.aggregated()).isTrue());
        assertThat(listener.corrupt).isEmpty();
    }

    @Test
    void noUserRecordIsDeliveredFromAnAggregateThatTurnsOutBadHalfWay() {
        // The KCL hands over the user records before a bad index; we deliver the original record alone.
        ProtobufWriter good = new ProtobufWriter().varintField(1, 0).bytesField(3, utf8("good"));
        ProtobufWriter bad = new ProtobufWriter().varintField(1, 3).bytesField(3, utf8("bad"));
        byte[] data = framed(new ProtobufWriter().stringField(1, "pk").messageField(3, good).messageField(3, good)
                .messageField(3, bad));

        assertCorrupt(data, "partition key index 3");
    }

    @Test
    void corruptAggregateIsDeliveredEvenWhenAHashKeyRangeIsGiven() {
        byte[] data = threeUserRecords().bytes();
        data[data.length - 1] ^= 0x01;
        Record original = record(SEQUENCE, "outer-key", data);
        HashKeyRange tiny = new HashKeyRange(BigInteger.ZERO, BigInteger.ZERO);

        List<KinesisRecord> records = deaggregator.deaggregate(SHARD, original, tiny);

        assertThat(records).singleElement().satisfies(r -> assertDeliveredUnchanged(r, original));
        assertThat(listener.filtered).isEmpty();
    }

    @Test
    void corruptAggregateIsLoggedAtWarnWithShardAndSequenceNumber() {
        Logger logger = (Logger) LoggerFactory.getLogger(RecordDeaggregator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            byte[] data = threeUserRecords().bytes();
            data[data.length - 1] ^= 0x01;

            new RecordDeaggregator().deaggregate(SHARD, record(SEQUENCE, "outer-key", data), null);

            assertThat(appender.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains(SHARD).contains(SEQUENCE).contains("MD5");
            });
        }
        finally {
            logger.detachAppender(appender);
        }
    }
}
