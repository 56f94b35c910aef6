package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;

/**
 * Checks the parameters of a listener method and makes a resolver for each. Allowed: one payload parameter
 * ({@code String}, {@code byte[]}, {@code ByteBuffer} or a type the payload converter reads, e.g. a POJO from JSON;
 * a {@code List} of those in batch mode), {@code KinesisRecord} / {@code KinesisRecordMetadata} (their
 * {@code List}s in batch mode), and {@code Checkpointer} in MANUAL checkpoint mode, which then requires it.
 */
final class ListenerMethodSignature {

    private final Method method;

    private final boolean batch;

    private final boolean manualCheckpoint;

    private final KinesisPayloadConverter converter;

    private ListenerMethodSignature(Method method, boolean batch, boolean manualCheckpoint,
            KinesisPayloadConverter converter) {
        this.method = method;
        this.batch = batch;
        this.manualCheckpoint = manualCheckpoint;
        this.converter = converter;
    }

    /**
     * The resolvers of the method's parameters, in order.
     * @throws InvalidKinesisListenerMethodException naming the method and what is wrong
     */
    static List<ArgumentResolver> resolvers(Method method, boolean batch, boolean manualCheckpoint,
            KinesisPayloadConverter converter) {
        return new ListenerMethodSignature(method, batch, manualCheckpoint, converter).resolvers();
    }

    private List<ArgumentResolver> resolvers() {
        List<ArgumentResolver> resolvers = new ArrayList<>();
        @Nullable String payloadParameter = null;
        boolean checkpointer = false;
        for (int index = 0; index < method.getParameterCount(); index++) {
            ResolvableType type = ResolvableType.forMethodParameter(method, index);
            Class<?> raw = type.toClass();
            String described = "parameter " + (index + 1) + " (" + simpleName(type.getType()) + ")";
            if (raw == Checkpointer.class) {
                if (!manualCheckpoint) {
                    throw invalid(described + " is a Checkpointer, which needs checkpointMode MANUAL; "
                            + "in other modes the container checkpoints");
                }
                checkpointer = true;
                resolvers.add(ListenerInvocation::checkpointer);
            }
            else if (raw == KinesisRecord.class) {
                if (batch) {
                    throw invalid(described + ": a batch listener receives List<KinesisRecord>");
                }
                resolvers.add(invocation -> invocation.records().get(0));
            }
            else if (raw == KinesisRecordMetadata.class) {
                if (batch) {
                    throw invalid(described + ": a batch listener receives List<KinesisRecordMetadata>");
                }
                resolvers.add(invocation -> invocation.metadata().get(0));
            }
            else if (isListOf(type, KinesisRecord.class)) {
                requireBatch(described);
                resolvers.add(ListenerInvocation::records);
            }
            else if (isListOf(type, KinesisRecordMetadata.class)) {
                requireBatch(described);
                resolvers.add(ListenerInvocation::metadata);
            }
            else {
                if (payloadParameter != null) {
                    throw invalid("more than one payload parameter: " + payloadParameter + " and " + described
                            + "; other parameters may be KinesisRecord, KinesisRecordMetadata or Checkpointer");
                }
                payloadParameter = described;
                resolvers.add(batch ? batchPayload(type, described) : payload(type, described));
            }
        }
        if (manualCheckpoint && !checkpointer) {
            throw invalid("checkpointMode MANUAL needs a Checkpointer parameter to checkpoint with");
        }
        return resolvers;
    }

    private ArgumentResolver payload(ResolvableType type, String described) {
        Type target = type.getType();
        if (!converter.canConvert(target)) {
            throw invalid(described + ": no converter for payloads of this type; take String, byte[] or ByteBuffer, "
                    + "or add Jackson (spring-boot-jackson) to read JSON");
        }
        return new PayloadArgumentResolver(converter, target, false);
    }

    private ArgumentResolver batchPayload(ResolvableType type, String described) {
        if (type.toClass() != List.class) {
            throw invalid(described + ": the payload of a batch listener is a List, e.g. List<String>, List<MyEvent> "
                    + "or List<KinesisRecord>");
        }
        ResolvableType element = type.getGeneric(0);
        if (element.resolve() == null) {
            throw invalid(described + ": declare the element type of the List");
        }
        Type target = (element.getType() instanceof WildcardType) ? element.toClass() : element.getType();
        if (!converter.canConvert(target)) {
            throw invalid(described + ": no converter for payloads of type " + simpleName(target) + "; take "
                    + "String, byte[] or ByteBuffer, or add Jackson (spring-boot-jackson) to read JSON");
        }
        return new PayloadArgumentResolver(converter, target, true);
    }

    private void requireBatch(String described) {
        if (!batch) {
            throw invalid(described + " needs a batch listener (batch = \"true\")");
        }
    }

    private static boolean isListOf(ResolvableType type, Class<?> element) {
        return type.toClass() == List.class && type.getGeneric(0).toClass() == element;
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
