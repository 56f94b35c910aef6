package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * Spring's payload resolver (conversion, then {@code @Valid} validation), except that an empty record is a payload
 * like any other: Kinesis accepts records without data, and a {@code String} listener receives {@code ""} for them
 * (Spring's resolver would reject the empty byte array as a missing payload).
 */
final class KinesisPayloadArgumentResolver extends PayloadMethodArgumentResolver {

    KinesisPayloadArgumentResolver(MessageConverter converter, @Nullable Validator validator) {
        super(converter, validator, true);
    }

    @Override
    protected boolean isEmptyPayload(@Nullable Object payload) {
        return payload == null;
    }
}
