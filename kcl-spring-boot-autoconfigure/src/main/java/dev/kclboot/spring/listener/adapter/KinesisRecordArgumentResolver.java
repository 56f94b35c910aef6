package dev.kclboot.spring.listener.adapter;

import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.support.KinesisHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves the parameters that are Kinesis types rather than payloads: {@code KinesisRecord},
 * {@code KinesisRecordMetadata} and {@code Checkpointer}, and in batch mode {@code List<KinesisRecord>} and
 * {@code List<KinesisRecordMetadata>}, from the message's {@link KinesisHeaders}.
 */
final class KinesisRecordArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return headerFor(parameter) != null;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, Message<?> message) {
        String header = headerFor(parameter);
        Object value = (header != null) ? message.getHeaders().get(header) : null;
        if (value == null) {
            throw new MessageHandlingException(message, "No " + header + " header for " + parameter);
        }
        return value;
    }

    /** The header a parameter's value comes from, or null when it is not one of the Kinesis types. */
    static @Nullable String headerFor(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        if (type == Checkpointer.class) {
            return KinesisHeaders.CHECKPOINTER;
        }
        if (type == KinesisRecord.class || isListOf(parameter, KinesisRecord.class)) {
            return KinesisHeaders.RECORD;
        }
        if (type == KinesisRecordMetadata.class || isListOf(parameter, KinesisRecordMetadata.class)) {
            return KinesisHeaders.RECORD_METADATA;
        }
        return null;
    }

    static boolean isListOf(MethodParameter parameter, Class<?> element) {
        ResolvableType type = ResolvableType.forMethodParameter(parameter);
        return type.toClass() == List.class && type.getGeneric(0).toClass() == element;
    }
}
