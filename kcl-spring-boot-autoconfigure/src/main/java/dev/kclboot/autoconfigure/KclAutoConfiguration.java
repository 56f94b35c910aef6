package dev.kclboot.autoconfigure;

import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import dev.kclboot.autoconfigure.aws.DynamoDbClientBuilderCustomizer;
import dev.kclboot.autoconfigure.aws.KclClientsConfiguration;
import dev.kclboot.autoconfigure.aws.KinesisClientBuilderCustomizer;
import dev.kclboot.autoconfigure.keys.UnknownKclPropertiesCheck;
import dev.kclboot.core.Worker;
import dev.kclboot.spring.annotation.KinesisListenerAnnotationBeanPostProcessor;
import dev.kclboot.spring.annotation.KinesisListenerConfigurer;
import dev.kclboot.spring.config.KinesisListenerContainerFactory;
import dev.kclboot.spring.config.KinesisListenerEndpointRegistry;
import dev.kclboot.spring.listener.KinesisRecordRecoverer;
import dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer;
import dev.kclboot.spring.listener.container.KinesisWorkerFactory;
import dev.kclboot.spring.listener.adapter.ListenerMethodAdapterFactory;
import dev.kclboot.spring.support.converter.KinesisMessageConverters;
import dev.kclboot.spring.support.micrometer.KinesisListenerObservationConvention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
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
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
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
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
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

    /** The name of the validator bean of Boot's ValidationAutoConfiguration. */
    private static final String BOOT_VALIDATOR_BEAN_NAME = "defaultValidator";

    @Bean
    @ConditionalOnMissingBean
    KinesisWorkerFactory kinesisWorkerFactory(KclProperties properties, Environment environment,
            KinesisClient kinesis, DynamoDbClient dynamoDb, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<KinesisWorkerCustomizer> customizers, ObjectProvider<KinesisAsyncClient> asyncClient,
            ObjectProvider<DynamoDbAsyncClient> asyncDynamoDb, ConfigurableListableBeanFactory beans) {
        boolean asyncReads = pairedAsyncClient(beans, KinesisClient.class, KinesisClientBuilderCustomizer.class,
                KinesisAsyncClient.class);
        boolean asyncLeases = pairedAsyncClient(beans, DynamoDbClient.class, DynamoDbClientBuilderCustomizer.class,
                DynamoDbAsyncClient.class);
        return new PropertiesKinesisWorkerFactory(properties,
                ApplicationNames.defaultApplicationName(properties, environment), kinesis, dynamoDb,
                meterRegistry.getIfUnique(), customizers.orderedStream().toList(),
                virtualThreads(environment, "kcl-"),
                asyncClient::getIfUnique, asyncReads ? asyncClient::getIfUnique : () -> null,
                asyncLeases ? asyncDynamoDb::getIfUnique : () -> null);
    }

    /**
     * Whether {@code kcl.client.async-io} may send the calls of the sync client through the async bean: when the
     * application defines the async client itself, or when the sync client is the auto-configured one too and no
     * builder customizer of the application changes it. An application that defines its own sync client, or
     * customizes the auto-configured one (an interceptor, a retry strategy, another endpoint), keeps every call on
     * it: the auto-configured async client would go around what it set.
     */
    private static boolean pairedAsyncClient(ConfigurableListableBeanFactory beans, Class<?> syncType,
            Class<?> syncCustomizerType, Class<?> asyncType) {
        String[] async = beans.getBeanNamesForType(asyncType, true, false);
        if (async.length != 1) {
            return false;
        }
        if (!autoConfigured(beans, async[0])) {
            return true;
        }
        String[] sync = beans.getBeanNamesForType(syncType, true, false);
        return sync.length == 1 && autoConfigured(beans, sync[0])
                && beans.getBeanNamesForType(syncCustomizerType, true, false).length == 0;
    }

    private static boolean autoConfigured(ConfigurableListableBeanFactory beans, String beanName) {
        if (!beans.containsBeanDefinition(beanName)) {
            return false; // A registered singleton: the application's.
        }
        String factory = beans.getMergedBeanDefinition(beanName).getFactoryBeanName();
        return factory != null && factory.startsWith(KclClientsConfiguration.class.getName());
    }

    /**
     * Virtual threads when {@code spring.threads.virtual.enabled} is set on Java 21+, else null: for the workers'
     * processor steps and reads (instead of the engine's bounded pools), and for the listener calls of containers with
     * a concurrency above 1 (instead of the containers' own threads), so that a waiting call costs no platform thread.
     */
    private static @Nullable Executor virtualThreads(Environment environment, String threadNamePrefix) {
        if (!Threading.VIRTUAL.isActive(environment)) {
            return null;
        }
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadNamePrefix);
        executor.setVirtualThreads(true);
        return executor;
    }

    @Bean
    @ConditionalOnMissingBean
    UnknownKclPropertiesCheck unknownKclPropertiesCheck(ApplicationContext context, ConfigurableEnvironment environment,
            KclProperties properties) {
        return new UnknownKclPropertiesCheck(context, environment, properties.isFailOnUnknownProperties());
    }

    /**
     * Invokes listener methods through spring-messaging: payloads read by the raw converters and the converters the
     * {@link KinesisListenerConfigurer} beans add (the JSON one among them when Jackson is present), validated with
     * the application's bean validator (or a configurer's), plus the configurers' argument resolvers; each delivery
     * observed with the application's {@link ObservationRegistry} (Boot's, when it has one) and convention bean.
     */
    @Bean
    @ConditionalOnMissingBean
    ListenerMethodAdapterFactory kinesisListenerMethodAdapterFactory(
            ObjectProvider<KinesisListenerConfigurer> configurers, ObjectProvider<Validator> validators,
            ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<KinesisListenerObservationConvention> observationConvention,
            ListableBeanFactory beanFactory) {
        List<MessageConverter> converters = KinesisMessageConverters.raw();
        List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>();
        Validator validator = payloadValidator(validators, beanFactory);
        for (KinesisListenerConfigurer configurer : configurers.orderedStream().toList()) {
            configurer.configureMessageConverters(converters);
            configurer.addArgumentResolvers(resolvers);
            Validator own = configurer.getValidator();
            if (own != null) {
                validator = own;
            }
        }
        ListenerMethodAdapterFactory factory = new ListenerMethodAdapterFactory(
                new CompositeMessageConverter(converters), validator, resolvers);
        factory.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
        factory.setObservationConvention(observationConvention.getIfUnique());
        return factory;
    }

    /**
     * The application's bean validator: Boot's ({@code defaultValidator}) when it is there, else the only
     * {@link SmartValidator} bean, else none. Plain {@link Validator} beans are not taken: a
     * {@code @ConfigurationProperties} class that validates itself (as {@link KclProperties} does) is one, and knows
     * nothing of payloads.
     */
    private static @Nullable Validator payloadValidator(ObjectProvider<Validator> validators,
            ListableBeanFactory beanFactory) {
        if (beanFactory.containsBean(BOOT_VALIDATOR_BEAN_NAME)
                && beanFactory.isTypeMatch(BOOT_VALIDATOR_BEAN_NAME, Validator.class)) {
            return beanFactory.getBean(BOOT_VALIDATOR_BEAN_NAME, Validator.class);
        }
        List<Validator> smart = validators.stream().filter(SmartValidator.class::isInstance).toList();
        return (smart.size() == 1) ? smart.get(0) : null;
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisListenerContainerFactoryConfigurer kinesisListenerContainerFactoryConfigurer(KclProperties properties,
            Environment environment, ObjectProvider<KinesisRecordRecoverer> recoverer,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new KinesisListenerContainerFactoryConfigurer(properties,
                ApplicationNames.defaultApplicationName(properties, environment), recoverer.getIfUnique(),
                meterRegistry.getIfUnique(), virtualThreads(environment, "kcl-listener-"));
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisListenerContainerFactory kinesisListenerContainerFactory(ListenerMethodAdapterFactory adapterFactory,
            KinesisListenerContainerFactoryConfigurer configurer) {
        KinesisListenerContainerFactory factory = new KinesisListenerContainerFactory(adapterFactory);
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

    /** JSON payloads read with the application's {@link JsonMapper} (or a default one) when Jackson 3 is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonPayloadConfiguration {

        @Bean
        KinesisListenerConfigurer kinesisJsonPayloadConfigurer(ObjectProvider<JsonMapper> jsonMapper) {
            return new JsonPayloadConfigurer(jsonMapper.getIfAvailable(JsonMapper::new));
        }
    }
}
