package dev.kclboot.spring.support.converter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/**
 * The message converters a listener's payloads go through by default, and what they can read.
 */
public final class KinesisMessageConverters {

    private KinesisMessageConverters() {
    }

    /**
     * {@code ByteBuffer}, {@code String} (UTF-8) and {@code byte[]}, in a list that may be changed: the auto-configuration
     * adds a JSON converter backed by the application's Jackson {@code JsonMapper} when Jackson is present.
     */
    public static List<MessageConverter> raw() {
        List<MessageConverter> converters = new ArrayList<>();
        converters.add(new ByteBufferMessageConverter());
        converters.add(new StringMessageConverter(StandardCharsets.UTF_8));
        converters.add(new ByteArrayMessageConverter());
        return converters;
    }

    /** Whether payloads are read as this type without any converter beyond {@link #raw()}. */
    public static boolean isRaw(Class<?> type) {
        return type == String.class || type == byte[].class || type == ByteBuffer.class || type == Object.class;
    }

    /**
     * Whether the converter may read payloads as other types than the raw ones: false only for a composite that
     * holds nothing but the raw converters (no Jackson), so that a method asking for a POJO fails at startup. Any
     * other converter is trusted to know its types.
     */
    public static boolean readsObjects(MessageConverter converter) {
        if (converter instanceof CompositeMessageConverter composite) {
            return composite.getConverters().stream().anyMatch(KinesisMessageConverters::readsObjects);
        }
        return !(converter instanceof ByteBufferMessageConverter || converter instanceof StringMessageConverter
                || converter instanceof ByteArrayMessageConverter);
    }
}
