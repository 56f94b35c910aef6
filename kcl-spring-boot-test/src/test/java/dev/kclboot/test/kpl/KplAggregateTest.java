package dev.kclboot.test.kpl;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KplAggregateTest {

    private static byte[] md5(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("MD5").digest(bytes);
    }

    @Test
    void bytesAreMagicThenProtobufThenItsMd5() throws Exception {
        KplAggregate aggregate = KplAggregate.builder().add("a", "one").add("b", "2", "two".getBytes()).build();
        byte[] bytes = aggregate.bytes();
        byte[] protobuf = aggregate.protobufBytes();

        assertThat(Arrays.copyOfRange(bytes, 0, 4)).containsExactly(0xF3, 0x89, 0x9A, 0xC2);
        assertThat(Arrays.copyOfRange(bytes, 4, bytes.length - 16)).isEqualTo(protobuf);
        assertThat(Arrays.copyOfRange(bytes, bytes.length - 16, bytes.length)).isEqualTo(md5(protobuf));
    }

    @Test
    void encodesTablesThenRecordsWithSharedKeys() {
        KplAggregate aggregate = KplAggregate.builder()
                .add("k", "1")
                .add(new KplUserRecord("k", "7", "2".getBytes(), Map.of("t", "v")))
                .build();
        // Built field by field from the schema, independently of the writer's table logic.
        byte[] expected = new ProtobufWriter()
                .stringField(1, "k")
                .stringField(2, "7")
                .messageField(3, new ProtobufWriter().varintField(1, 0).bytesField(3, "1".getBytes()))
                .messageField(3, new ProtobufWriter().varintField(1, 0).varintField(2, 0).bytesField(3, "2".getBytes())
                        .messageField(4, new ProtobufWriter().stringField(1, "t").stringField(2, "v")))
                .toByteArray();

        assertThat(aggregate.protobufBytes()).isEqualTo(expected);
    }

    @Test
    void routingKeysAreThoseOfTheFirstUserRecord() throws Exception {
        KplAggregate byPartitionKey = KplAggregate.builder().add("first", "x").add("second", "99", "y".getBytes())
                .build();
        KplAggregate byExplicitKey = KplAggregate.builder().add("first", "12345", "x".getBytes()).build();

        assertThat(byPartitionKey.partitionKey()).isEqualTo("first");
        assertThat(byPartitionKey.explicitHashKey())
                .isEqualTo(new BigInteger(1, md5("first".getBytes(StandardCharsets.UTF_8))).toString());
        assertThat(byExplicitKey.explicitHashKey()).isEqualTo("12345");
    }

    @Test
    void userRecordsAreCopiedNotShared() {
        byte[] data = "payload".getBytes();
        Map<String, String> tags = new HashMap<>(Map.of("k", "v"));
        KplUserRecord userRecord = new KplUserRecord("pk", null, data, tags);
        data[0] = 'X';
        tags.put("other", "tag");
        userRecord.data()[1] = 'Y';

        assertThat(userRecord.data()).isEqualTo("payload".getBytes());
        assertThat(userRecord.tags()).containsOnlyKeys("k");
        assertThat(KplAggregate.of(List.of(userRecord)).userRecords()).containsExactly(userRecord);
    }

    @Test
    void protobufWriterFollowsTheWireFormat() {
        // The encoding guide's own examples: 150 in field 1 is 08 96 01; 300 is AC 02 as a bare varint.
        assertThat(new ProtobufWriter().varintField(1, 150).toByteArray()).containsExactly(0x08, 0x96, 0x01);
        assertThat(new ProtobufWriter().rawVarint(300).toByteArray()).containsExactly(0xAC, 0x02);
        assertThat(new ProtobufWriter().rawVarint(-1L).toByteArray()).hasSize(10).endsWith(0x01);
        assertThat(new ProtobufWriter().stringField(2, "testing").toByteArray())
                .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
        assertThat(new ProtobufWriter().fixed32Field(1, 0x01020304).toByteArray())
                .containsExactly(0x0D, 0x04, 0x03, 0x02, 0x01);
        assertThat(new ProtobufWriter().fixed64Field(1, 1L).toByteArray())
                .containsExactly(0x09, 1, 0, 0, 0, 0, 0, 0, 0);
    }
}
