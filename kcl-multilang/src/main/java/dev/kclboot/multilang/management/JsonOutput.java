package dev.kclboot.multilang.management;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Writes the management answers (maps, lists, strings, numbers, booleans, instants) as compact JSON, with null
 * values written as {@code null}, as the starter's actuator endpoints write them.
 */
final class JsonOutput {

    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();

    private JsonOutput() {
    }

    static byte[] toJson(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(json, value);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, @Nullable Object value) {
        if (value == null) {
            json.writeNull();
        }
        else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeName(String.valueOf(entry.getKey()));
                write(json, entry.getValue());
            }
            json.writeEndObject();
        }
        else if (value instanceof Iterable<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        }
        else if (value instanceof String text) {
            json.writeString(text);
        }
        else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        }
        else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        }
        else if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            }
            else {
                json.writeString(Double.toString(d));
            }
        }
        else if (value instanceof Instant instant) {
            json.writeString(instant.toString());
        }
        else {
            json.writeString(value.toString());
        }
    }
}
