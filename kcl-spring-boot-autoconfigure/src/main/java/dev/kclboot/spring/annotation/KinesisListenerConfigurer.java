package dev.kclboot.spring.annotation;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * Customizes how {@code @KinesisListener} methods are invoked; define one or more as beans (applied in their
 * {@link org.springframework.core.annotation.Order @Order}). Every method has a default, so implement only what you
 * need:
 * <pre>{@code
 * @Bean
 * KinesisListenerConfigurer tenantResolver() {
 *     return new KinesisListenerConfigurer() {
 *         public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
 *             resolvers.add(new TenantArgumentResolver());
 *         }
 *     };
 * }
 * }</pre>
 */
public interface KinesisListenerConfigurer {

    /**
     * Adds argument resolvers for parameters of your own types; they are asked after the Kinesis types,
     * {@code @Header} and {@code Message<T>}, before the payload (a parameter one of them supports is not a payload).
     * @param resolvers the resolvers added so far (by configurers ordered before this one)
     */
    default void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    }

    /**
     * Changes the converters that read payloads, tried in order: by default a read-only {@code ByteBuffer},
     * {@code String} (UTF-8), {@code byte[]}, then JSON with the application's Jackson {@code JsonMapper} when
     * Jackson is present. Add yours in front to take precedence, or replace them.
     * @param converters the converters, to change in place
     */
    default void configureMessageConverters(List<MessageConverter> converters) {
    }

    /**
     * The validator for {@code @Payload @Valid} parameters, instead of the application's {@code Validator} bean; a
     * payload that fails validation goes to the recoverer like one that cannot be converted.
     * @return the validator, or null to keep the one found so far
     */
    default @Nullable Validator getValidator() {
        return null;
    }
}
