package dev.kclboot.core.aggregation;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the protobuf {@code AggregatedRecord} of the KPL (proto2):
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * message Tag    { required string key = 1; optional string value = 2; }
 * </pre>
 * It accepts what protobuf-java (which the KCL uses) accepts, but for the two cases {@link ProtobufReader} names:
 * unknown fields are skipped, a known field number with an unexpected wire type is treated as unknown, a
 * non-repeated field that appears more than once keeps its last value, and a message missing a {@code required}
 * field is invalid. Tags are checked for well-formedness and otherwise ignored, as by the KCL.
 */
final class AggregatedRecordParser {

    private static final int TAG_PARTITION_KEY_TABLE = tag(1, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_EXPLICIT_HASH_KEY_TABLE = tag(2, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_RECORDS = tag(3, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_PARTITION_KEY_INDEX = tag(1, ProtobufReader.WIRE_VARINT);

    private static final int TAG_EXPLICIT_HASH_KEY_INDEX = tag(2, ProtobufReader.WIRE_VARINT);

    private static final int TAG_DATA = tag(3, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_TAGS = tag(4, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_TAG_KEY = tag(1, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private static final int TAG_TAG_VALUE = tag(2, ProtobufReader.WIRE_LENGTH_DELIMITED);

    private AggregatedRecordParser() {
    }

    /** Parses {@code length} bytes of {@code buffer} from {@code offset}. */
    static AggregatedRecord parse(byte[] buffer, int offset, int length) throws InvalidAggregateException {
        ProtobufReader reader = new ProtobufReader(buffer, offset, length);
        List<String> partitionKeys = new ArrayList<>();
        List<String> explicitHashKeys = new ArrayList<>();
        List<AggregatedRecord.Entry> records = new ArrayList<>();
        while (reader.hasRemaining()) {
            int tag = reader.readTag();
            if (tag == TAG_PARTITION_KEY_TABLE) {
                partitionKeys.add(reader.readString());
            }
            else if (tag == TAG_EXPLICIT_HASH_KEY_TABLE) {
                explicitHashKeys.add(reader.readString());
            }
            else if (tag == TAG_RECORDS) {
                records.add(parseRecord(reader.readMessage(), records.size()));
            }
            else {
                reader.skipField(tag);
            }
        }
        return new AggregatedRecord(partitionKeys, explicitHashKeys, records);
    }

    private static AggregatedRecord.Entry parseRecord(ProtobufReader reader, int index)
            throws InvalidAggregateException {
        long partitionKeyIndex = 0;
        boolean hasPartitionKeyIndex = false;
        long explicitHashKeyIndex = 0;
        boolean hasExplicitHashKeyIndex = false;
        int dataOffset = 0;
        int dataLength = 0;
        boolean hasData = false;
        while (reader.hasRemaining()) {
            int tag = reader.readTag();
            if (tag == TAG_PARTITION_KEY_INDEX) {
                partitionKeyIndex = reader.readVarint();
                hasPartitionKeyIndex = true;
            }
            else if (tag == TAG_EXPLICIT_HASH_KEY_INDEX) {
                explicitHashKeyIndex = reader.readVarint();
                hasExplicitHashKeyIndex = true;
            }
            else if (tag == TAG_DATA) {
                dataLength = reader.readLength();
                dataOffset = reader.position();
                reader.skip(dataLength);
                hasData = true;
            }
            else if (tag == TAG_TAGS) {
                checkTag(reader.readMessage(), index);
            }
            else {
                reader.skipField(tag);
            }
        }
        if (!hasPartitionKeyIndex) {
            throw new InvalidAggregateException("user record " + index + " has no partition_key_index");
        }
        if (!hasData) {
            throw new InvalidAggregateException("user record " + index + " has no data");
        }
        return new AggregatedRecord.Entry(partitionKeyIndex, explicitHashKeyIndex, hasExplicitHashKeyIndex, dataOffset,
                dataLength);
    }

    private static void checkTag(ProtobufReader reader, int index) throws InvalidAggregateException {
        boolean hasKey = false;
        while (reader.hasRemaining()) {
            int tag = reader.readTag();
            if (tag == TAG_TAG_KEY) {
                reader.skip(reader.readLength());
                hasKey = true;
            }
            else if (tag == TAG_TAG_VALUE) {
                reader.skip(reader.readLength());
            }
            else {
                reader.skipField(tag);
            }
        }
        if (!hasKey) {
            throw new InvalidAggregateException("a tag of user record " + index + " has no key");
        }
    }

    private static int tag(int fieldNumber, int wireType) {
        return (fieldNumber << 3) | wireType;
    }
}
