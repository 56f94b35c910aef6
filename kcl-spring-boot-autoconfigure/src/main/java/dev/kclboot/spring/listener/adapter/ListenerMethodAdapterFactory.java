package dev.kclboot.spring.listener.adapter;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.spring.listener.CheckpointMode;
import dev.kclboot.spring.listener.KinesisListenerSettings;
import dev.kclboot.spring.listener.KinesisMessageListener;
import dev.kclboot.spring.support.micrometer.DefaultKinesisListenerObservationConvention;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservation;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.HeaderMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.HeadersMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.Validator;

/**
 * Makes listeners out of bean methods, invoked through spring-messaging: a {@link DefaultMessageHandlerMethodFactory}
 * with, in this order, the Kinesis types ({@code KinesisRecord}, {@code KinesisRecordMetadata}, {@code Checkpointer}
 * and their lists), {@code @Header} / {@code @Headers}, {@code Message<T>}, the application's own argument resolvers,
 * and the payload ({@code @Payload} or any other parameter; converted by the message converter and validated when
 * annotated {@code @Valid} and a validator is set). Each method's signature is checked first. Each delivery is
 * observed (with an observation registry) and has the {@link dev.kclboot.spring.support.micrometer.KinesisMdc} keys
 * in the MDC.
 */
public final class ListenerMethodAdapterFactory {

    private final MessageConverter messageConverter;

    private final @Nullable Validator validator;

    private final List<HandlerMethodArgumentResolver> customResolvers;

    private final DefaultMessageHandlerMethodFactory methodFactory = new DefaultMessageHandlerMethodFactory();

    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

    private @Nullable KinesisListenerObservationConvention observationConvention;

    /**
     * @param messageConverter reads payloads (see
     * {@link dev.kclboot.spring.support.converter.KinesisMessageConverters})
     * @param validator validates {@code @Valid} payloads, or null for no validation
     * @param customResolvers the application's argument resolvers, asked before the payload
     */
    public ListenerMethodAdapterFactory(MessageConverter messageConverter, @Nullable Validator validator,
            List<HandlerMethodArgumentResolver> customResolvers) {
        this.messageConverter = messageConverter;
        this.validator = validator;
        this.customResolvers = List.copyOf(customResolvers);
        List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
        resolvers.add(new KinesisRecordArgumentResolver());
        resolvers.add(new HeaderMethodArgumentResolver(new DefaultFormattingConversionService(), null));
        resolvers.add(new HeadersMethodArgumentResolver());
        resolvers.add(new KinesisMessageArgumentResolver(messageConverter));
        resolvers.addAll(this.customResolvers);
        resolvers.add(new KinesisPayloadArgumentResolver(messageConverter, validator));
        methodFactory.setMessageConverter(messageConverter);
        methodFactory.setArgumentResolvers(resolvers.stream()
                .<HandlerMethodArgumentResolver>map(GuardedArgumentResolver::new).toList());
        methodFactory.afterPropertiesSet();
    }

    /**
     * Where the observation of each listener delivery goes (see {@link KinesisListenerObservation}); the default,
     * {@link ObservationRegistry#NOOP}, observes nothing.
     */
    public void setObservationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = observationRegistry;
    }

    /** The convention of the observations, instead of {@link DefaultKinesisListenerObservationConvention}. */
    public void setObservationConvention(@Nullable KinesisListenerObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
    }

    /**
     * Adapts the method.
     * @param bean the bean to call the method on
     * @param method the method, invocable on the bean (for a proxy, the proxy's method)
     * @param settings the listener's settings (batch or not, checkpoint mode)
     * @return a {@link dev.kclboot.spring.listener.KinesisBatchListener} or a
     * {@link dev.kclboot.spring.listener.KinesisRecordListener}
     * @throws InvalidKinesisListenerMethodException naming the method when its signature does not fit
     */
    public KinesisMessageListener create(Object bean, Method method, KinesisListenerSettings settings) {
        boolean manualCheckpoint = settings.checkpointMode() == CheckpointMode.MANUAL;
        ListenerMethodSignature signature = ListenerMethodSignature.check(method, settings.batch(), manualCheckpoint,
                customResolvers, messageConverter);
        MessagingListenerMethodInvoker invoker = new MessagingListenerMethodInvoker(
                methodFactory.createInvocableHandlerMethod(bean, method));
        ListenerDeliveryObserver observer = new ListenerDeliveryObserver(observationRegistry, observationConvention,
                settings);
        if (!settings.batch()) {
            return new RecordMessagingListenerAdapter(invoker, observer, manualCheckpoint);
        }
        MethodParameter payload = signature.batchPayload();
        BatchPayloadConverter payloads = (payload != null)
                ? new BatchPayloadConverter(payload, signature.batchOfMessages(), messageConverter, validator) : null;
        return new BatchMessagingListenerAdapter(invoker, observer, payloads, manualCheckpoint);
    }
}
