package dev.kclboot.core.aggregation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.kclboot.test.kpl.ProtobufWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

class ProtobufReaderTest {

    private static ProtobufReader reader(byte[] bytes) {
        return new ProtobufReader(bytes, 0, bytes.length);
    }

    @Test
    void readsVarintsAsUnsigned64BitValuesLikeProtobufJava() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            // Spread over every encoded length, 1 to 10 bytes.
            long value = random.nextLong() >>> random.nextInt(64);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream output = CodedOutputStream.newInstance(bytes);
            output.writeUInt64NoTag(value);
            output.flush();

            ProtobufReader reader = reader(bytes.toByteArray());

            assertThat(reader.readVarint()).isEqualTo(value);
            assertThat(reader.hasRemaining()).isFalse();
        }
    }

    @Test
    void tenByteVarintKeepsOnlyTheLowestBitOfItsLastByteAsProtobufJavaDoes() throws Exception {
        byte[] bytes = { -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x7F };

        assertThat(reader(bytes).readVarint()).isEqualTo(CodedInputStream.newInstance(bytes).readRawVarint64())
                .isEqualTo(-1L);
    }

    @Test
    void varintOfMoreThanTenBytesIsMalformed() {
        byte[] bytes = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01 };

        assertThatExceptionOfType(InvalidAggregateException.class).isThrownBy(() -> reader(bytes).readVarint())
                .withMessageContaining("more than 10 bytes");
    }

    @Test
    void varintCutOffByTheEndOfTheSliceIsTruncatedEvenIfTheArrayGoesOn() {
        byte[] bytes = { 0x00, (byte) 0x80, (byte) 0x80, 0x01 };

        assertThatExceptionOfType(InvalidAggregateException.class)
                .isThrownBy(() -> new ProtobufReader(bytes, 1, 2).readVarint()).withMessageContaining("truncated");
    }

    @Test
    void readsTagsAndLengthsAsProtobufJavaDoes() {
        // Random short byte strings, mostly with the continuation bit set, read as a tag then a length by both.
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(13)];
            for (int b = 0; b < bytes.length; b++) {
                bytes[b] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 128 + random.nextInt(128));
            }
            String ours = describe(() -> {
                ProtobufReader reader = reader(bytes);
                int tag = reader.readTag();
                int length = reader.readLength();
                return tag + "/" + length + "@" + reader.position();
            });
            String theirs = describe(() -> {
                CodedInputStream input = CodedInputStream.newInstance(bytes);
                int tag = input.readTag();
                int length = input.readRawVarint32();
                if (length < 0 || length > bytes.length - input.getTotalBytesRead()) {
                    throw new IOException("bad length");
                }
                return tag + "/" + length + "@" + input.getTotalBytesRead();
            });
            if (!ours.equals(theirs)) {
                fail("bytes %s: we read %s, protobuf-java %s", java.util.HexFormat.of().formatHex(bytes), ours, theirs);
            }
        }
    }

    @Test
    void skipsUnknownFieldsOfWireTypes0125AndNothingElse() throws Exception {
        byte[] bytes = new ProtobufWriter()
                .varintField(1, Long.MIN_VALUE).fixed64Field(2, 1).stringField(3, "skip me").fixed32Field(4, 1)
                .toByteArray();
        ProtobufReader reader = reader(bytes);
        for (int field = 1; field <= 4; field++) {
            int tag = reader.readTag();
            assertThat(ProtobufReader.fieldNumber(tag)).isEqualTo(field);
            reader.skipField(tag);
        }
        assertThat(reader.hasRemaining()).isFalse();

        for (int wireType : new int[] { 3, 4, 6, 7 }) {
            ProtobufReader bad = reader(new ProtobufWriter().tag(1, wireType).rawVarint(0).toByteArray());
            int tag = bad.readTag();
            assertThatExceptionOfType(InvalidAggregateException.class).isThrownBy(() -> bad.skipField(tag))
                    .withMessageContaining("wire type " + wireType);
        }
    }

    @Test
    void readsStringsAsUtf8ReplacingMalformedSequencesLikeProtobufJava() throws Exception {
        byte[] bytes = new ProtobufWriter().bytesField(1, new byte[] { 'o', 'k', (byte) 0xC3, '!' }).toByteArray();
        ProtobufReader reader = reader(bytes);
        reader.readTag();

        String expected = CodedInputStream.newInstance(bytes, 1, bytes.length - 1).readBytes().toStringUtf8();
        assertThat(reader.readString()).isEqualTo(expected).isEqualTo("ok\uFFFD!");
    }

    private interface Read {
        String run() throws Exception;
    }

    private static String describe(Read read) {
        try {
            return read.run();
        }
        catch (InvalidAggregateException | IOException ex) {
            return "rejected";
        }
        catch (Exception ex) {
            return fail("unexpected " + ex);
        }
    }
}
