package dev.kclboot.spring.listener.adapter;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import dev.kclboot.spring.support.KinesisMessages;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

/**
 * Converts the payload of every record of a batch to the element type of the batch listener's {@code List<T>} (or
 * {@code List<Message<T>>}) parameter, through the same converters as a record listener's payload, and validates each
 * element when the parameter is annotated {@code @Valid} (or {@code @Validated}) and there is a validator. A record
 * that fails becomes a {@link PayloadConversionException} naming it: the delivery sends it to the recoverer and
 * delivers the others again without it.
 */
final class BatchPayloadConverter {

    private final MessageConverter converter;

    private final @Nullable Validator validator;

    private final MethodParameter parameter;

    /** The element's type as a conversion hint (generics included), for the JSON converter. */
    private final MethodParameter element;

    private final Class<?> elementClass;

    private final boolean messages;

    private final Object @Nullable [] validationHints;

    BatchPayloadConverter(MethodParameter parameter, boolean messages, MessageConverter converter,
            @Nullable Validator validator) {
        this.parameter = parameter;
        this.messages = messages;
        this.converter = converter;
        this.validator = validator;
        this.element = messages ? parameter.nested().nested() : parameter.nested();
        this.elementClass = element.getNestedParameterType();
        this.validationHints = validationHints(parameter);
    }

    /** The converted payloads (or messages), in record order. */
    List<Object> convert(List<KinesisRecord> records, List<KinesisRecordMetadata> metadata) {
        List<Object> converted = new ArrayList<>(records.size());
        for (int index = 0; index < records.size(); index++) {
            KinesisRecord record = records.get(index);
            Message<byte[]> message = KinesisMessages.record(record, metadata.get(index), null);
            Object payload;
            try {
                payload = convert(message);
                validate(message, payload);
            }
            catch (MessagingException ex) {
                throw new PayloadConversionException(record, "Cannot convert the payload of record "
                        + record.sequenceNumber() + " of shard " + record.shardId() + " to "
                        + ListenerMethodSignature.simpleName(element.getNestedGenericParameterType()) + ": "
                        + ex.getMessage(), ex);
            }
            converted.add(messages ? new GenericMessage<>(payload, message.getHeaders()) : payload);
        }
        return converted;
    }

    private Object convert(Message<byte[]> message) {
        if (elementClass.isInstance(message.getPayload())) {
            return message.getPayload();
        }
        Object payload = (converter instanceof SmartMessageConverter smart)
                ? smart.fromMessage(message, elementClass, element) : converter.fromMessage(message, elementClass);
        if (payload == null) {
            throw new MessageConversionException(message, "no converter reads byte[] as " + elementClass.getName());
        }
        return payload;
    }

    private void validate(Message<byte[]> message, Object payload) {
        Object[] hints = validationHints;
        if (validator == null || hints == null) {
            return;
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(payload, "payload");
        if (hints.length > 0 && validator instanceof SmartValidator smart) {
            smart.validate(payload, errors, hints);
        }
        else {
            validator.validate(payload, errors);
        }
        if (errors.hasErrors()) {
            throw new MethodArgumentNotValidException(message, parameter, errors);
        }
    }

    private static Object @Nullable [] validationHints(MethodParameter parameter) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            Object[] hints = ValidationAnnotationUtils.determineValidationHints(annotation);
            if (hints != null) {
                return hints;
            }
        }
        return null;
    }
}
