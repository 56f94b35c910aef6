package dev.kclboot.spring.support.converter;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.util.MimeTypeUtils;

/**
 * Reads a {@code byte[]} payload as a read-only {@link ByteBuffer} (spring-messaging has converters for
 * {@code String} and {@code byte[]}, not for buffers).
 */
public final class ByteBufferMessageConverter extends AbstractMessageConverter {

    public ByteBufferMessageConverter() {
        super(MimeTypeUtils.APPLICATION_OCTET_STREAM);
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return clazz == ByteBuffer.class;
    }

    @Override
    protected @Nullable Object convertFromInternal(Message<?> message, Class<?> targetClass,
            @Nullable Object conversionHint) {
        return (message.getPayload() instanceof byte[] bytes) ? ByteBuffer.wrap(bytes).asReadOnlyBuffer() : null;
    }

    @Override
    protected @Nullable Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
            @Nullable Object conversionHint) {
        if (payload instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return null;
    }
}
