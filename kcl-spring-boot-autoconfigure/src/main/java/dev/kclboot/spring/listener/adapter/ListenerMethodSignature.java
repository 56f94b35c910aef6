package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import dev.kclboot.spring.support.converter.KinesisMessageConverters;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Checks, at startup, that a listener method can be called with the records of its mode, so that a wrong signature
 * fails the application's start instead of every delivery. spring-messaging resolves the arguments; this says which
 * parameter is the payload and rejects what cannot work: more than one payload; a {@code Checkpointer} outside
 * MANUAL mode, or MANUAL mode without one; single-record types in a batch listener or {@code List}s of records
 * outside one; a payload type no converter reads. For a batch listener it also finds the {@code List<T>} or
 * {@code List<Message<T>>} parameter whose elements are converted record by record.
 */
final class ListenerMethodSignature {

    private final Method method;

    private final boolean batch;

    private final boolean manualCheckpoint;

    private final List<HandlerMethodArgumentResolver> customResolvers;

    private final MessageConverter converter;

    private @Nullable MethodParameter batchPayload;

    private boolean batchOfMessages;

    private ListenerMethodSignature(Method method, boolean batch, boolean manualCheckpoint,
            List<HandlerMethodArgumentResolver> customResolvers, MessageConverter converter) {
        this.method = method;
        this.batch = batch;
        this.manualCheckpoint = manualCheckpoint;
        this.customResolvers = customResolvers;
        this.converter = converter;
    }

    /**
     * Checks the method.
     * @param customResolvers the application's argument resolvers: a parameter one of them takes is not a payload
     * @throws InvalidKinesisListenerMethodException naming the method and what is wrong
     */
    static ListenerMethodSignature check(Method method, boolean batch, boolean manualCheckpoint,
            List<HandlerMethodArgumentResolver> customResolvers, MessageConverter converter) {
        ListenerMethodSignature signature = new ListenerMethodSignature(method, batch, manualCheckpoint,
                customResolvers, converter);
        signature.check();
        return signature;
    }

    /** The batch listener's {@code List<T>} or {@code List<Message<T>>} parameter, null when it has none. */
    @Nullable MethodParameter batchPayload() {
        return batchPayload;
    }

    /** Whether {@link #batchPayload()} is a {@code List<Message<T>>}. */
    boolean batchOfMessages() {
        return batchOfMessages;
    }

    private void check() {
        @Nullable String payloadParameter = null;
        boolean checkpointer = false;
        for (int index = 0; index < method.getParameterCount(); index++) {
            MethodParameter parameter = new MethodParameter(method, index);
            ResolvableType type = ResolvableType.forMethodParameter(parameter);
            Class<?> raw = type.toClass();
            String described = "parameter " + (index + 1) + " (" + simpleName(type.getType()) + ")";
            if (raw == Checkpointer.class) {
                if (!manualCheckpoint) {
                    throw invalid(described + " is a Checkpointer, which needs checkpointMode MANUAL; "
                            + "in other modes the container checkpoints");
                }
                checkpointer = true;
            }
            else if ((raw == KinesisRecord.class || raw == KinesisRecordMetadata.class) && batch) {
                throw invalid(described + ": a batch listener receives List<" + raw.getSimpleName() + ">");
            }
            else if (KinesisRecordArgumentResolver.isListOf(parameter, KinesisRecord.class)
                    || KinesisRecordArgumentResolver.isListOf(parameter, KinesisRecordMetadata.class)) {
                if (!batch) {
                    throw invalid(described + " needs a batch listener (batch = \"true\")");
                }
            }
            else if (KinesisRecordArgumentResolver.headerFor(parameter) != null || isHeaders(parameter)) {
                // Resolved from the headers.
            }
            else if (Message.class.isAssignableFrom(raw) && batch) {
                throw invalid(described + ": a batch listener receives List<Message<T>>, one message per record");
            }
            else if (!Message.class.isAssignableFrom(raw)
                    && customResolvers.stream().anyMatch(resolver -> resolver.supportsParameter(parameter))) {
                // The application's own resolver takes it.
            }
            else {
                if (payloadParameter != null) {
                    throw invalid("more than one payload parameter: " + payloadParameter + " and " + described
                            + "; other parameters may be KinesisRecord, KinesisRecordMetadata, Checkpointer or "
                            + "@Header");
                }
                payloadParameter = described;
                if (batch) {
                    checkBatchPayload(parameter, type, described);
                }
                else {
                    requireConverter(Message.class.isAssignableFrom(raw) ? type.getGeneric(0).toClass() : raw,
                            described);
                }
            }
        }
        if (manualCheckpoint && !checkpointer) {
            throw invalid("checkpointMode MANUAL needs a Checkpointer parameter to checkpoint with");
        }
    }

    private void checkBatchPayload(MethodParameter parameter, ResolvableType type, String described) {
        if (type.toClass() != List.class) {
            throw invalid(described + ": the payload of a batch listener is a List, e.g. List<String>, List<MyEvent>, "
                    + "List<Message<MyEvent>> or List<KinesisRecord>");
        }
        ResolvableType element = type.getGeneric(0);
        if (element.resolve() == null) {
            throw invalid(described + ": declare the element type of the List");
        }
        if (Message.class.isAssignableFrom(element.toClass())) {
            ResolvableType payload = element.getGeneric(0);
            requireConverter(payload.toClass(), described);
            batchOfMessages = true;
        }
        else {
            requireConverter(element.toClass(), described);
        }
        batchPayload = parameter;
    }

    private void requireConverter(Class<?> payloadType, String described) {
        if (!KinesisMessageConverters.isRaw(payloadType) && !KinesisMessageConverters.readsObjects(converter)) {
            throw invalid(described + ": no converter for payloads of type " + payloadType.getSimpleName() + "; take "
                    + "String, byte[] or ByteBuffer, or add Jackson (spring-boot-jackson) to read JSON");
        }
    }

    private static boolean isHeaders(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(Header.class) || parameter.hasParameterAnnotation(Headers.class)
                || MessageHeaders.class.isAssignableFrom(parameter.getParameterType());
    }

    private InvalidKinesisListenerMethodException invalid(String reason) {
        return new InvalidKinesisListenerMethodException(method, reason);
    }

    static String simpleName(Type type) {
        if (type instanceof Class<?> clazz) {
            return clazz.getSimpleName();
        }
        if (type instanceof ParameterizedType parameterized) {
            return simpleName(parameterized.getRawType()) + "<" + Arrays.stream(parameterized.getActualTypeArguments())
                    .map(ListenerMethodSignature::simpleName).collect(Collectors.joining(", ")) + ">";
        }
        return type.getTypeName();
    }
}
