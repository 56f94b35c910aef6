package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.recovery.PayloadConversionException;
import org.jspecify.annotations.Nullable;

/**
 * Converts the payload of the record (or, for a batch listener's {@code List<T>} parameter, of every record) to the
 * parameter's type; a failure becomes a {@link PayloadConversionException} naming the record.
 */
final class PayloadArgumentResolver implements ArgumentResolver {

    private final KinesisPayloadConverter converter;

    private final Type targetType;

    private final boolean list;

    PayloadArgumentResolver(KinesisPayloadConverter converter, Type targetType, boolean list) {
        this.converter = converter;
        this.targetType = targetType;
        this.list = list;
    }

    @Override
    public @Nullable Object resolve(ListenerInvocation invocation) {
        if (!list) {
            return convert(invocation.records().get(0));
        }
        List<@Nullable Object> payloads = new ArrayList<>(invocation.records().size());
        for (KinesisRecord record : invocation.records()) {
            payloads.add(convert(record));
        }
        return payloads;
    }

    private @Nullable Object convert(KinesisRecord record) {
        try {
            return converter.convert(record, targetType);
        }
        catch (Exception ex) {
            throw new PayloadConversionException(record, "Cannot convert the payload of record "
                    + record.sequenceNumber() + " of shard " + record.shardId() + " to "
                    + ListenerMethodSignature.simpleName(targetType) + ": " + ex.getMessage(), ex);
        }
    }
}
