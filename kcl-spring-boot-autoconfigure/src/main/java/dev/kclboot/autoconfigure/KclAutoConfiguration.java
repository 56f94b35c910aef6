package dev.kclboot.autoconfigure;

import java.util.Objects;
import java.util.concurrent.Executor;

import dev.kclboot.autoconfigure.aws.KclClientsConfiguration;
import dev.kclboot.autoconfigure.keys.UnknownKclPropertiesCheck;
import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListenerAnnotationBeanPostProcessor;
import dev.kclboot.spring.config.KinesisListenerContainerFactory;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer;
import dev.kclboot.spring.listener.container.KinesisWorkerFactory;
import dev.kclboot.spring.listener.adapter.DefaultKinesisPayloadConverter;
import dev.kclboot.spring.listener.adapter.JacksonPayloadConverter;
import dev.kclboot.spring.listener.adapter.KinesisPayloadConverter;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures Kinesis consumption: the SDK clients (unless the application or Spring Cloud AWS defines them, see
 * {@link KclClientsConfiguration}), a worker factory
 * from the {@code kcl.*} properties, the listener container factory, the endpoint registry (which runs one
 * {@link Worker} per application name) and the {@code @KinesisListener} post-processor. Off with
 * {@code kcl.enabled=false}.
 */
// After Spring Cloud AWS's auto-configurations, so that its credentials provider and clients, when present, are seen
// and none is defined twice.
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration",
        "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration",
        "io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration",
        "io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration" })
@ConditionalOnClass({ Worker.class, KinesisClient.class, DynamoDbClient.class })
@ConditionalOnBooleanProperty(name = "kcl.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KclProperties.class)
@Import(KclClientsConfiguration.class)
public final class KclAutoConfiguration {

    /** The bean name of the post-processor that finds {@code @KinesisListener} methods. */
    public static final String LISTENER_POST_PROCESSOR_BEAN_NAME = "kinesisListenerAnnotationBeanPostProcessor";

    @Bean
    @ConditionalOnMissingBean
    KinesisWorkerFactory kinesisWorkerFactory(KclProperties properties, Environment environment,
            KinesisClient kinesis, DynamoDbClient dynamoDb, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<KinesisWorkerCustomizer> customizers, ObjectProvider<KinesisAsyncClient> asyncClient) {
        return new PropertiesKinesisWorkerFactory(properties,
                ApplicationNames.defaultApplicationName(properties, environment), kinesis, dynamoDb,
                meterRegistry.getIfUnique(), customizers.orderedStream().toList(), virtualThreads(environment),
                asyncClient::getIfUnique);
    }

    /**
     * Virtual threads for the workers' listener calls and reads when {@code spring.threads.virtual.enabled} is set on
     * Java 21+ (a waiting listener then costs no platform thread), else null: the engine's bounded pools.
     */
    private static @Nullable Executor virtualThreads(Environment environment) {
        if (!Threading.VIRTUAL.isActive(environment)) {
            return null;
        }
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("kcl-");
        executor.setVirtualThreads(true);
        return executor;
    }

    @Bean
    @ConditionalOnMissingBean
    UnknownKclPropertiesCheck unknownKclPropertiesCheck(ApplicationContext context, ConfigurableEnvironment environment,
            KclProperties properties) {
        return new UnknownKclPropertiesCheck(context, environment, properties.isFailOnUnknownProperties());
    }

    @Bean
    @ConditionalOnMissingBean(KinesisPayloadConverter.class)
    KinesisPayloadConverter rawKinesisPayloadConverter() {
        return new DefaultKinesisPayloadConverter(null);
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisListenerContainerFactoryConfigurer kinesisListenerContainerFactoryConfigurer(KclProperties properties,
            Environment environment, ObjectProvider<KinesisRecordRecoverer> recoverer,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new KinesisListenerContainerFactoryConfigurer(properties,
                ApplicationNames.defaultApplicationName(properties, environment), recoverer.getIfUnique(),
                meterRegistry.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisListenerContainerFactory kinesisListenerContainerFactory(KinesisPayloadConverter payloadConverter,
            KinesisListenerContainerFactoryConfigurer configurer) {
        KinesisListenerContainerFactory factory = new KinesisListenerContainerFactory(
                new ListenerMethodAdapterFactory(payloadConverter));
        configurer.configure(factory);
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisListenerEndpointRegistry kinesisListenerEndpointRegistry(KinesisWorkerFactory workerFactory,
            KclProperties properties, Environment environment) {
        ShutdownPhaseCheck.check(properties.getShutdownTimeout(), environment);
        return new KinesisListenerEndpointRegistry(workerFactory, properties.getShutdownTimeout());
    }

    /**
     * With {@code kcl.dead-letter.stream}, the recoverer of listeners that name none writes their failed records to
     * that stream; a {@code KinesisRecordRecoverer} bean of the application's own takes precedence.
     */
    @Bean
    @ConditionalOnMissingBean(KinesisRecordRecoverer.class)
    @ConditionalOnProperty(name = "kcl.dead-letter.stream")
    KinesisDeadLetterPublishingRecoverer kinesisDeadLetterPublishingRecoverer(KclProperties properties,
            KinesisClient kinesis) {
        KclProperties.DeadLetter deadLetter = properties.getDeadLetter();
        ExponentialBackOff backOff = new ExponentialBackOff(deadLetter.getBackoff().getInitialInterval().toMillis(),
                deadLetter.getBackoff().getMultiplier());
        backOff.setMaxInterval(deadLetter.getBackoff().getMaxInterval().toMillis());
        return new KinesisDeadLetterPublishingRecoverer(kinesis, Objects.requireNonNull(deadLetter.getStream()),
                deadLetter.getMaxAttempts(), backOff);
    }

    @Bean(name = LISTENER_POST_PROCESSOR_BEAN_NAME)
    @ConditionalOnMissingBean(name = LISTENER_POST_PROCESSOR_BEAN_NAME)
    static KinesisListenerAnnotationBeanPostProcessor kinesisListenerAnnotationBeanPostProcessor() {
        return new KinesisListenerAnnotationBeanPostProcessor();
    }

    /**
     * String, byte[] and ByteBuffer payloads, and JSON payloads read with the application's {@link JsonMapper} (or a default one) when Jackson 3 is
     * present.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonPayloadConfiguration {

        @Bean
        @ConditionalOnMissingBean(KinesisPayloadConverter.class)
        KinesisPayloadConverter kinesisPayloadConverter(ObjectProvider<JsonMapper> jsonMapper) {
            return new DefaultKinesisPayloadConverter(
                    new JacksonPayloadConverter(jsonMapper.getIfAvailable(JsonMapper::new)));
        }
    }
}
