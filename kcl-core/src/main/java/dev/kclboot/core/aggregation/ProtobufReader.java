package dev.kclboot.core.aggregation;

import java.nio.charset.StandardCharsets;

/**
 * Reads protocol-buffers wire format from a slice of a byte array, without copying it. Only what the KPL format
 * needs: varints, length-delimited values, and skipping unknown fields.
 * <p>
 * Every read checks bounds and throws {@link InvalidAggregateException} instead of running past the slice, so a
 * truncated or hostile message can never cause an {@code IndexOutOfBoundsException} or a large allocation.
 * <p>
 * It accepts what protobuf-java accepts, with two exceptions, both for bytes no KPL writes: groups (wire types 3
 * and 4) are refused rather than skipped, and a varint of more than 10 bytes is always refused, as the encoding
 * spec and protobuf-java's own {@code skipField} do (the fast path of protobuf-java's {@code readRawVarint64}
 * accepts some such varints without looking at their 10th byte's continuation bit).
 */
final class ProtobufReader {

    static final int WIRE_VARINT = 0;

    static final int WIRE_FIXED64 = 1;

    static final int WIRE_LENGTH_DELIMITED = 2;

    static final int WIRE_FIXED32 = 5;

    private static final int MAX_VARINT_BYTES = 10;

    private final byte[] buffer;

    private final int limit;

    private int position;

    ProtobufReader(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
    }

    boolean hasRemaining() {
        return position < limit;
    }

    /** Offset of the next byte in the underlying array. */
    int position() {
        return position;
    }

    /**
     * Reads a field key and returns it whole ({@code fieldNumber << 3 | wireType}). Like protobuf-java's
     * {@code readRawVarint32}, a key is a varint of up to 10 bytes of which the low 32 bits count.
     */
    int readTag() throws InvalidAggregateException {
        int tag = (int) readVarint();
        if (fieldNumber(tag) == 0) {
            throw new InvalidAggregateException("invalid protobuf field number 0");
        }
        return tag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 0x7;
    }

    /** Reads a base-128 varint as an unsigned 64-bit value (bits past the 64th are dropped, as protobuf-java does). */
    long readVarint() throws InvalidAggregateException {
        long result = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (position >= limit) {
                throw new InvalidAggregateException("protobuf truncated inside a varint");
            }
            byte b = buffer[position++];
            result |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return result;
            }
        }
        throw new InvalidAggregateException("malformed protobuf varint (more than 10 bytes)");
    }

    /**
     * Reads the length prefix of a length-delimited value, checks the value lies inside the slice, and returns its
     * length; the value itself starts at {@link #position()} and is consumed by {@link #skip(int)}. As in
     * protobuf-java, the length is the low 32 bits of the varint, and a negative one is invalid.
     */
    int readLength() throws InvalidAggregateException {
        int length = (int) readVarint();
        if (length < 0) {
            throw new InvalidAggregateException("negative protobuf length " + length);
        }
        if (length > limit - position) {
            throw new InvalidAggregateException("protobuf truncated: length " + length + " exceeds the "
                    + (limit - position) + " bytes left");
        }
        return length;
    }

    void skip(int length) {
        position += length;
    }

    /**
     * Reads a string. Malformed UTF-8 becomes U+FFFD rather than an error, as protobuf-java does for proto2 string
     * fields, so we reject no aggregate the KCL would accept.
     */
    String readString() throws InvalidAggregateException {
        int length = readLength();
        String value = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** A reader over the embedded message that follows, which this reader then skips. */
    ProtobufReader readMessage() throws InvalidAggregateException {
        int length = readLength();
        ProtobufReader message = new ProtobufReader(buffer, position, length);
        position += length;
        return message;
    }

    /**
     * Skips the value of a field this parser does not know, as protobuf parsers must for forward compatibility.
     * Groups (wire types 3 and 4, deprecated since proto2's early days) are refused: no KPL version writes them, so
     * one means the bytes are not a KPL aggregate.
     */
    void skipField(int tag) throws InvalidAggregateException {
        switch (wireType(tag)) {
            case WIRE_VARINT -> readVarint();
            case WIRE_FIXED64 -> skipFixed(8);
            case WIRE_LENGTH_DELIMITED -> skip(readLength());
            case WIRE_FIXED32 -> skipFixed(4);
            default -> throw new InvalidAggregateException(
                    "unsupported protobuf wire type " + wireType(tag) + " for field " + fieldNumber(tag));
        }
    }

    private void skipFixed(int length) throws InvalidAggregateException {
        if (limit - position < length) {
            throw new InvalidAggregateException("protobuf truncated inside a " + (8 * length) + "-bit field");
        }
        position += length;
    }
}
