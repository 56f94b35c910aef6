package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Type;

import dev.kclboot.core.record.KinesisRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads payloads as JSON with the application's Jackson 3 {@link JsonMapper}.
 */
public final class JacksonPayloadConverter implements KinesisPayloadConverter {

    private final JsonMapper jsonMapper;

    public JacksonPayloadConverter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public boolean canConvert(Type targetType) {
        return true;
    }

    @Override
    public @Nullable Object convert(KinesisRecord record, Type targetType) {
        return jsonMapper.readValue(record.dataBytes(), jsonMapper.constructType(targetType));
    }
}
