package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;

/**
 * Spring's {@code Message<T>} resolver, except that an empty record converts like any other (see
 * {@link KinesisPayloadArgumentResolver}).
 */
final class KinesisMessageArgumentResolver extends MessageMethodArgumentResolver {

    KinesisMessageArgumentResolver(MessageConverter converter) {
        super(converter);
    }

    @Override
    protected boolean isEmptyPayload(@Nullable Object payload) {
        return payload == null;
    }
}
