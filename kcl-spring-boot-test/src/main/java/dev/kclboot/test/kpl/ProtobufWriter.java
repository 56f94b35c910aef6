package dev.kclboot.test.kpl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers encoder: enough to write the KPL {@code AggregatedRecord} and, in tests, messages the
 * KPL would never write (unknown fields, wrong wire types, out-of-range indexes, missing required fields).
 * <p>
 * Hand-written rather than {@code protobuf-java} so that this test-support module stays light and so that tests
 * of a consumer's decoder are not checked against the same library they might be built on.
 */
public final class ProtobufWriter {

    /** Wire type of varints ({@code int32}, {@code uint64}, {@code bool}, ...). */
    public static final int VARINT = 0;

    /** Wire type of 8-byte little-endian values ({@code fixed64}, {@code double}). */
    public static final int FIXED64 = 1;

    /** Wire type of length-delimited values (strings, bytes, embedded messages). */
    public static final int LENGTH_DELIMITED = 2;

    /** Wire type of 4-byte little-endian values ({@code fixed32}, {@code float}). */
    public static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Writes a field key: {@code (fieldNumber << 3) | wireType}, as a varint. */
    public ProtobufWriter tag(int fieldNumber, int wireType) {
        return rawVarint(((long) fieldNumber << 3) | wireType);
    }

    /** Writes a varint field; {@code value} is taken as unsigned 64-bit. */
    public ProtobufWriter varintField(int fieldNumber, long value) {
        return tag(fieldNumber, VARINT).rawVarint(value);
    }

    /** Writes a length-delimited field holding {@code value}. */
    public ProtobufWriter bytesField(int fieldNumber, byte[] value) {
        tag(fieldNumber, LENGTH_DELIMITED).rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** Writes a string field (UTF-8). */
    public ProtobufWriter stringField(int fieldNumber, String value) {
        return bytesField(fieldNumber, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an embedded message field. */
    public ProtobufWriter messageField(int fieldNumber, ProtobufWriter message) {
        return bytesField(fieldNumber, message.toByteArray());
    }

    /** Writes a {@code fixed64} field (8 bytes, little-endian). */
    public ProtobufWriter fixed64Field(int fieldNumber, long value) {
        tag(fieldNumber, FIXED64);
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    /** Writes a {@code fixed32} field (4 bytes, little-endian). */
    public ProtobufWriter fixed32Field(int fieldNumber, int value) {
        tag(fieldNumber, FIXED32);
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
        return this;
    }

    /** Writes {@code value} as an unsigned base-128 varint (1 to 10 bytes), without a key. */
    public ProtobufWriter rawVarint(long value) {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            out.write((int) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        out.write((int) remaining);
        return this;
    }

    /** Appends bytes as they are, without a key: for deliberately malformed messages. */
    public ProtobufWriter rawBytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
