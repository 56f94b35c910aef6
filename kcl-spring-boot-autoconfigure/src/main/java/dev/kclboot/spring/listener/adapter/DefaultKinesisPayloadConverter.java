package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * Converts payloads to {@code String} (UTF-8), {@code byte[]} and {@code ByteBuffer} (read-only) itself, and every
 * other type through an object converter (JSON through Jackson in a Boot application), when there is one.
 */
public final class DefaultKinesisPayloadConverter implements KinesisPayloadConverter {

    private final @Nullable KinesisPayloadConverter objectConverter;

    /**
     * @param objectConverter converts payloads to types other than String, byte[] and ByteBuffer; null when there
     * is none, in which case a listener method asking for such a type fails at startup
     */
    public DefaultKinesisPayloadConverter(@Nullable KinesisPayloadConverter objectConverter) {
        this.objectConverter = objectConverter;
    }

    @Override
    public boolean canConvert(Type targetType) {
        return isRaw(targetType) || (objectConverter != null && objectConverter.canConvert(targetType));
    }

    @Override
    public @Nullable Object convert(KinesisRecord record, Type targetType) throws Exception {
        if (targetType == String.class) {
            return new String(record.dataBytes(), StandardCharsets.UTF_8);
        }
        if (targetType == byte[].class) {
            return record.dataBytes();
        }
        if (targetType == ByteBuffer.class) {
            return record.data();
        }
        if (objectConverter == null) {
            throw new IllegalStateException("No converter for payloads of type " + targetType.getTypeName());
        }
        return objectConverter.convert(record, targetType);
    }

    private static boolean isRaw(Type type) {
        return type == String.class || type == byte[].class || type == ByteBuffer.class;
    }
}
