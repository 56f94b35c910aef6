package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Type;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;

/**
 * Converts the payload of a record to the type of a listener method's payload parameter.
 */
public interface KinesisPayloadConverter {

    /** Whether payloads can be converted to this type; asked once per listener method, at startup. */
    boolean canConvert(Type targetType);

    /**
     * Converts the payload of a record.
     * @param record the record
     * @param targetType the parameter's type (for a batch listener, the element type of the list)
     * @return the converted payload (null when the payload stands for null, e.g. JSON {@code null})
     * @throws Exception when the payload cannot be converted; the record goes to the recoverer without retries
     */
    @Nullable Object convert(KinesisRecord record, Type targetType) throws Exception;
}
