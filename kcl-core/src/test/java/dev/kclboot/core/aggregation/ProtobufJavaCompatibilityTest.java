package dev.kclboot.core.aggregation;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.test.kpl.KplAggregate;
import dev.kclboot.test.kpl.KplUserRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static dev.kclboot.core.aggregation.KplProtobufSchema.AGGREGATED_RECORD;
import static dev.kclboot.core.aggregation.KplProtobufSchema.DATA;
import static dev.kclboot.core.aggregation.KplProtobufSchema.EXPLICIT_HASH_KEY_INDEX;
import static dev.kclboot.core.aggregation.KplProtobufSchema.EXPLICIT_HASH_KEY_TABLE;
import static dev.kclboot.core.aggregation.KplProtobufSchema.PARTITION_KEY_INDEX;
import static dev.kclboot.core.aggregation.KplProtobufSchema.PARTITION_KEY_TABLE;
import static dev.kclboot.core.aggregation.KplProtobufSchema.RECORD;
import static dev.kclboot.core.aggregation.KplProtobufSchema.RECORDS;
import static dev.kclboot.core.aggregation.KplProtobufSchema.TAG;
import static dev.kclboot.core.aggregation.KplProtobufSchema.TAGS;
import static dev.kclboot.core.aggregation.KplProtobufSchema.TAG_KEY;
import static dev.kclboot.core.aggregation.KplProtobufSchema.TAG_VALUE;
import static dev.kclboot.core.aggregation.TestRecords.MAX_HASH_KEY;
import static dev.kclboot.core.aggregation.TestRecords.SHARD;
import static dev.kclboot.core.aggregation.TestRecords.md5;
import static dev.kclboot.core.aggregation.TestRecords.md5Hash;
import static dev.kclboot.core.aggregation.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the hand-written protobuf reader and writer against protobuf-java, the implementation the KCL and the KPL's
 * Java side use: on random aggregates protobuf-java encodes (with unknown fields), on the writer's output, and on
 * randomly damaged messages, which must be accepted exactly when protobuf-java accepts them.
 */
class ProtobufJavaCompatibilityTest {

    private static final ch.qos.logback.classic.Logger DEAGGREGATOR_LOG =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RecordDeaggregator.class);

    /** Thousands of damaged aggregates would each log a WARN; the listener is what these tests check. */
    @org.junit.jupiter.api.BeforeAll
    static void quietWarnings() {
        DEAGGREGATOR_LOG.setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreWarnings() {
        DEAGGREGATOR_LOG.setLevel(null);
    }

    /** One user record as protobuf-java sees it, resolved through the key tables. */
    private record Expected(int subSequenceNumber, String partitionKey, @Nullable String explicitHashKey, byte[] data) {
    }

    @Test
    void decodesRandomAggregatesEncodedByProtobufJava() {
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            DynamicMessage aggregate = randomAggregate(random, seed % 3 == 0);
            HashKeyRange range = random.nextBoolean() ? null : randomRange(random);
            RecordingListener listener = new RecordingListener();

            List<KinesisRecord> actual = new RecordDeaggregator(listener)
                    .deaggregate(SHARD, record("7", "outer", frame(aggregate.toByteArray())), range);

            List<Expected> expected = resolve(aggregate).stream()
                    .filter(e -> range == null || range.contains(hashOf(e)))
                    .toList();
            assertThat(listener.corrupt).as("seed %d", seed).isEmpty();
            assertSame(actual, expected, "seed " + seed);
        }
    }

    @Test
    void writerOutputIsWhatProtobufJavaReads() throws InvalidProtocolBufferException {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<KplUserRecord> userRecords = new ArrayList<>();
            List<String> partitionKeys = randomStrings(random, 1 + random.nextInt(4));
            List<String> hashKeys = randomHashKeys(random, random.nextInt(3));
            for (int i = random.nextInt(12); i > 0; i--) {
                Map<String, @Nullable String> tags = new LinkedHashMap<>();
                for (int t = random.nextInt(3); t > 0; t--) {
                    tags.put(randomString(random), random.nextBoolean() ? null : randomString(random));
                }
                String hashKey = hashKeys.isEmpty() || random.nextBoolean() ? null
                        : hashKeys.get(random.nextInt(hashKeys.size()));
                userRecords.add(new KplUserRecord(partitionKeys.get(random.nextInt(partitionKeys.size())), hashKey,
                        randomBytes(random), tags));
            }
            KplAggregate aggregate = KplAggregate.of(userRecords);

            // parseFrom also checks the required fields.
            DynamicMessage parsed = DynamicMessage.parseFrom(AGGREGATED_RECORD, aggregate.protobufBytes());

            List<Expected> resolved = resolve(parsed);
            assertThat(resolved).as("seed %d", seed).hasSameSizeAs(userRecords);
            for (int i = 0; i < userRecords.size(); i++) {
                KplUserRecord written = userRecords.get(i);
                assertThat(resolved.get(i).partitionKey()).isEqualTo(written.partitionKey());
                assertThat(resolved.get(i).explicitHashKey()).isEqualTo(written.explicitHashKey());
                assertThat(resolved.get(i).data()).isEqualTo(written.data());
                assertThat(tagsOf((DynamicMessage) parsed.getRepeatedField(RECORDS, i))).isEqualTo(written.tags());
            }
            // Identical keys share a table entry, as in the KPL.
            assertThat(parsed.getRepeatedFieldCount(PARTITION_KEY_TABLE))
                    .isEqualTo(userRecords.stream().map(KplUserRecord::partitionKey).distinct().count());
            assertThat(aggregate.bytes()).isEqualTo(frame(aggregate.protobufBytes()));
        }
    }

    @Test
    void damagedMessagesAreAcceptedExactlyWhenProtobufJavaAcceptsThem() {
        int acceptedByBoth = 0;
        int rejectedByBoth = 0;
        for (int seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            byte[] protobuf = damage(randomAggregate(random, random.nextBoolean()).toByteArray(), random);
            RecordingListener listener = new RecordingListener();

            List<KinesisRecord> actual = new RecordDeaggregator(listener)
                    .deaggregate(SHARD, record("9", "outer", frame(protobuf)), null);

            List<Expected> expected = protobufJavaAccepts(protobuf);
            if (expected != null) {
                if (!listener.corrupt.isEmpty()) {
                    // The one deliberate difference: protobuf-java skips unknown groups, we refuse them.
                    assertThat(listener.corrupt.get(0).reason()).as("seed %d", seed).contains("wire type 3");
                    continue;
                }
                assertSame(actual, expected, "seed " + seed);
                acceptedByBoth++;
            }
            else {
                assertThat(listener.corrupt).as("seed %d: protobuf-java rejects it", seed).hasSize(1);
                assertThat(actual).singleElement().satisfies(r -> assertThat(r.aggregated()).isFalse());
                rejectedByBoth++;
            }
        }
        // The damage must exercise both outcomes, or this test proves little.
        assertThat(acceptedByBoth).isGreaterThan(100);
        assertThat(rejectedByBoth).isGreaterThan(100);
    }

    /** What protobuf-java plus the KCL's table lookups make of the bytes, or null where they fail. */
    private static @Nullable List<Expected> protobufJavaAccepts(byte[] protobuf) {
        DynamicMessage parsed;
        try {
            parsed = DynamicMessage.parseFrom(AGGREGATED_RECORD, protobuf);
        }
        catch (InvalidProtocolBufferException ex) {
            return null;
        }
        if (hasMalformedVarint(protobuf, 0)) {
            return null;
        }
        int partitionKeys = parsed.getRepeatedFieldCount(PARTITION_KEY_TABLE);
        int hashKeys = parsed.getRepeatedFieldCount(EXPLICIT_HASH_KEY_TABLE);
        for (int i = 0; i < parsed.getRepeatedFieldCount(RECORDS); i++) {
            DynamicMessage record = (DynamicMessage) parsed.getRepeatedField(RECORDS, i);
            if (Long.compareUnsigned((Long) record.getField(PARTITION_KEY_INDEX), partitionKeys) >= 0) {
                return null;
            }
            if (record.hasField(EXPLICIT_HASH_KEY_INDEX)) {
                long index = (Long) record.getField(EXPLICIT_HASH_KEY_INDEX);
                if (Long.compareUnsigned(index, hashKeys) >= 0
                        || !isHashKey((String) parsed.getRepeatedField(EXPLICIT_HASH_KEY_TABLE, (int) index))) {
                    return null;
                }
            }
        }
        return resolve(parsed);
    }

    /**
     * Whether protobuf-java's strict {@code skipField} finds a varint of more than 10 bytes in the aggregate, a record
     * or a tag. Needed because protobuf-java is not consistent here: the fast path of its {@code readRawVarint64},
     * which {@code DynamicMessage} uses for unknown varint fields, accepts some such varints (it stops after 10 bytes
     * without looking at the 10th byte's continuation bit), while its {@code skipField} rejects them, as the encoding
     * spec says. Our reader follows the spec.
     */
    private static boolean hasMalformedVarint(byte[] message, int depth) {
        CodedInputStream input = CodedInputStream.newInstance(message);
        try {
            while (!input.isAtEnd()) {
                int tag = input.readTag();
                int nestedField = depth == 0 ? 3 : depth == 1 ? 4 : -1;
                if (WireFormat.getTagFieldNumber(tag) == nestedField
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    if (hasMalformedVarint(input.readByteArray(), depth + 1)) {
                        return true;
                    }
                }
                else if (!input.skipField(tag)) {
                    return false;
                }
            }
            return false;
        }
        catch (IOException ex) {
            // Other damage is for DynamicMessage to judge.
            return ex.getMessage() != null && ex.getMessage().contains("malformed varint");
        }
    }

    private static boolean isHashKey(String value) {
        return value.matches("[0-9]{1,39}") && new BigInteger(value).compareTo(MAX_HASH_KEY) <= 0;
    }

    private static List<Expected> resolve(DynamicMessage aggregate) {
        List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < aggregate.getRepeatedFieldCount(RECORDS); i++) {
            DynamicMessage record = (DynamicMessage) aggregate.getRepeatedField(RECORDS, i);
            String partitionKey = (String) aggregate.getRepeatedField(PARTITION_KEY_TABLE,
                    (int) (long) (Long) record.getField(PARTITION_KEY_INDEX));
            String hashKey = record.hasField(EXPLICIT_HASH_KEY_INDEX)
                    ? (String) aggregate.getRepeatedField(EXPLICIT_HASH_KEY_TABLE,
                            (int) (long) (Long) record.getField(EXPLICIT_HASH_KEY_INDEX))
                    : null;
            expected.add(new Expected(i, partitionKey, hashKey, ((ByteString) record.getField(DATA)).toByteArray()));
        }
        return expected;
    }

    private static BigInteger hashOf(Expected userRecord) {
        return userRecord.explicitHashKey() != null ? new BigInteger(userRecord.explicitHashKey())
                : md5Hash(userRecord.partitionKey());
    }

    private static Map<String, @Nullable String> tagsOf(DynamicMessage record) {
        Map<String, @Nullable String> tags = new LinkedHashMap<>();
        for (int i = 0; i < record.getRepeatedFieldCount(TAGS); i++) {
            DynamicMessage tag = (DynamicMessage) record.getRepeatedField(TAGS, i);
            tags.put((String) tag.getField(TAG_KEY), tag.hasField(TAG_VALUE) ? (String) tag.getField(TAG_VALUE) : null);
        }
        return tags;
    }

    private static void assertSame(List<KinesisRecord> actual, List<Expected> expected, String description) {
        assertThat(actual).as(description).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            KinesisRecord record = actual.get(i);
            Expected wanted = expected.get(i);
            assertThat(record.subSequenceNumber()).as(description).isEqualTo(wanted.subSequenceNumber());
            assertThat(record.partitionKey()).as(description).isEqualTo(wanted.partitionKey());
            assertThat(record.explicitHashKey()).as(description).isEqualTo(wanted.explicitHashKey());
            assertThat(record.dataBytes()).as(description).isEqualTo(wanted.data());
            assertThat(record.aggregated()).as(description).isTrue();
        }
    }

    private static DynamicMessage randomAggregate(Random random, boolean withUnknownFields) {
        List<String> partitionKeys = randomStrings(random, 1 + random.nextInt(5));
        List<String> hashKeys = randomHashKeys(random, random.nextInt(4));
        DynamicMessage.Builder aggregate = DynamicMessage.newBuilder(AGGREGATED_RECORD);
        partitionKeys.forEach(key -> aggregate.addRepeatedField(PARTITION_KEY_TABLE, key));
        hashKeys.forEach(key -> aggregate.addRepeatedField(EXPLICIT_HASH_KEY_TABLE, key));
        for (int i = random.nextInt(20); i > 0; i--) {
            DynamicMessage.Builder record = DynamicMessage.newBuilder(RECORD)
                    .setField(PARTITION_KEY_INDEX, (long) random.nextInt(partitionKeys.size()))
                    .setField(DATA, ByteString.copyFrom(randomBytes(random)));
            if (!hashKeys.isEmpty() && random.nextBoolean()) {
                record.setField(EXPLICIT_HASH_KEY_INDEX, (long) random.nextInt(hashKeys.size()));
            }
            for (int t = random.nextInt(3); t > 0; t--) {
                DynamicMessage.Builder tag = DynamicMessage.newBuilder(TAG).setField(TAG_KEY, randomString(random));
                if (random.nextBoolean()) {
                    tag.setField(TAG_VALUE, randomString(random));
                }
                if (withUnknownFields) {
                    tag.setUnknownFields(randomUnknownFields(random));
                }
                record.addRepeatedField(TAGS, tag.build());
            }
            if (withUnknownFields) {
                record.setUnknownFields(randomUnknownFields(random));
            }
            aggregate.addRepeatedField(RECORDS, record.build());
        }
        if (withUnknownFields) {
            aggregate.setUnknownFields(randomUnknownFields(random));
        }
        return aggregate.build();
    }

    /** Unknown fields of wire types 0, 1, 2 and 5 (protobuf-java writes groups only when asked). */
    private static UnknownFieldSet randomUnknownFields(Random random) {
        UnknownFieldSet.Builder fields = UnknownFieldSet.newBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
            switch (random.nextInt(4)) {
                case 0 -> field.addVarint(random.nextLong());
                case 1 -> field.addFixed64(random.nextLong());
                case 2 -> field.addLengthDelimited(ByteString.copyFrom(randomBytes(random)));
                default -> field.addFixed32(random.nextInt());
            }
            fields.mergeField(5 + random.nextInt(1000), field.build());
        }
        return fields.build();
    }

    private static byte[] damage(byte[] protobuf, Random random) {
        byte[] damaged = protobuf;
        for (int i = 1 + random.nextInt(3); i > 0 && damaged.length > 0; i--) {
            int at = random.nextInt(damaged.length);
            damaged = switch (random.nextInt(4)) {
                case 0 -> Arrays.copyOf(damaged, at); // truncate
                case 1 -> {
                    byte[] copy = damaged.clone();
                    copy[at] = (byte) random.nextInt(256);
                    yield copy;
                }
                case 2 -> {
                    byte[] copy = damaged.clone();
                    copy[at] ^= (byte) (1 << random.nextInt(8));
                    yield copy;
                }
                default -> { // drop one byte
                    byte[] copy = new byte[damaged.length - 1];
                    System.arraycopy(damaged, 0, copy, 0, at);
                    System.arraycopy(damaged, at + 1, copy, at, damaged.length - at - 1);
                    yield copy;
                }
            };
        }
        return damaged;
    }

    private static HashKeyRange randomRange(Random random) {
        BigInteger a = new BigInteger(128, random);
        BigInteger b = new BigInteger(128, random);
        return a.compareTo(b) <= 0 ? new HashKeyRange(a, b) : new HashKeyRange(b, a);
    }

    private static List<String> randomHashKeys(Random random, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(switch (random.nextInt(4)) {
                case 0 -> "0";
                case 1 -> MAX_HASH_KEY.toString();
                default -> new BigInteger(128, random).toString();
            });
        }
        return keys;
    }

    private static List<String> randomStrings(Random random, int count) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            strings.add(randomString(random));
        }
        return strings;
    }

    /** Up to 20 code points from ASCII to the supplementary planes, never a lone surrogate. */
    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(21); i > 0; i--) {
            int codePoint = switch (random.nextInt(4)) {
                case 0, 1 -> 0x20 + random.nextInt(0x5F);
                case 2 -> 0xA0 + random.nextInt(0xD7FF - 0xA0);
                default -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /** Empty, short, or long enough that lengths take two varint bytes. */
    private static byte[] randomBytes(Random random) {
        int length = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(20);
            default -> 120 + random.nextInt(300);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Magic, protobuf, MD5: framed here rather than by the writer under test. */
    private static byte[] frame(byte[] protobuf) {
        byte[] framed = new byte[4 + protobuf.length + 16];
        framed[0] = (byte) 0xF3;
        framed[1] = (byte) 0x89;
        framed[2] = (byte) 0x9A;
        framed[3] = (byte) 0xC2;
        System.arraycopy(protobuf, 0, framed, 4, protobuf.length);
        System.arraycopy(md5(protobuf), 0, framed, 4 + protobuf.length, 16);
        return framed;
    }
}
