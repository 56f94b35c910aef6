package dev.kclboot.core.aggregation;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * The KPL's {@code messages.proto} (proto2) as protobuf-java descriptors, built at run time so the tests need no
 * {@code protoc}: protobuf-java's {@code DynamicMessage} then serves as the reference encoder and parser.
 */
final class KplProtobufSchema {

    static final Descriptor AGGREGATED_RECORD;

    static final Descriptor RECORD;

    static final Descriptor TAG;

    static final FieldDescriptor PARTITION_KEY_TABLE;

    static final FieldDescriptor EXPLICIT_HASH_KEY_TABLE;

    static final FieldDescriptor RECORDS;

    static final FieldDescriptor PARTITION_KEY_INDEX;

    static final FieldDescriptor EXPLICIT_HASH_KEY_INDEX;

    static final FieldDescriptor DATA;

    static final FieldDescriptor TAGS;

    static final FieldDescriptor TAG_KEY;

    static final FieldDescriptor TAG_VALUE;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("messages.proto")
                .setPackage("kpl")
                .setSyntax("proto2")
                .addMessageType(DescriptorProto.newBuilder().setName("AggregatedRecord")
                        .addField(field("partition_key_table", 1, Label.LABEL_REPEATED, Type.TYPE_STRING))
                        .addField(field("explicit_hash_key_table", 2, Label.LABEL_REPEATED, Type.TYPE_STRING))
                        .addField(field("records", 3, Label.LABEL_REPEATED, Type.TYPE_MESSAGE)
                                .setTypeName(".kpl.Record")))
                .addMessageType(DescriptorProto.newBuilder().setName("Tag")
                        .addField(field("key", 1, Label.LABEL_REQUIRED, Type.TYPE_STRING))
                        .addField(field("value", 2, Label.LABEL_OPTIONAL, Type.TYPE_STRING)))
                .addMessageType(DescriptorProto.newBuilder().setName("Record")
                        .addField(field("partition_key_index", 1, Label.LABEL_REQUIRED, Type.TYPE_UINT64))
                        .addField(field("explicit_hash_key_index", 2, Label.LABEL_OPTIONAL, Type.TYPE_UINT64))
                        .addField(field("data", 3, Label.LABEL_REQUIRED, Type.TYPE_BYTES))
                        .addField(field("tags", 4, Label.LABEL_REPEATED, Type.TYPE_MESSAGE).setTypeName(".kpl.Tag")))
                .build();
        FileDescriptor descriptor;
        try {
            descriptor = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
        }
        catch (DescriptorValidationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
        AGGREGATED_RECORD = descriptor.findMessageTypeByName("AggregatedRecord");
        RECORD = descriptor.findMessageTypeByName("Record");
        TAG = descriptor.findMessageTypeByName("Tag");
        PARTITION_KEY_TABLE = AGGREGATED_RECORD.findFieldByNumber(1);
        EXPLICIT_HASH_KEY_TABLE = AGGREGATED_RECORD.findFieldByNumber(2);
        RECORDS = AGGREGATED_RECORD.findFieldByNumber(3);
        PARTITION_KEY_INDEX = RECORD.findFieldByNumber(1);
        EXPLICIT_HASH_KEY_INDEX = RECORD.findFieldByNumber(2);
        DATA = RECORD.findFieldByNumber(3);
        TAGS = RECORD.findFieldByNumber(4);
        TAG_KEY = TAG.findFieldByNumber(1);
        TAG_VALUE = TAG.findFieldByNumber(2);
    }

    private KplProtobufSchema() {
    }

    private static FieldDescriptorProto.Builder field(String name, int number, Label label, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(label).setType(type);
    }
}
